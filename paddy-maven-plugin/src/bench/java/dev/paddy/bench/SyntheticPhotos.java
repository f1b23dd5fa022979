package dev.paddy.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Natural-image-like 640x480 JPEGs at quality 90 for the benchmark: a sky-to-field gradient,
 * leaf-like ellipses of varied greens and browns, and per-pixel sensor noise, so the JPEG has the
 * entropy of a photo rather than of a flat test card.
 */
final class SyntheticPhotos {
    private SyntheticPhotos() {}

    static List<Path> write(Path dir, int count, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.90f);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(120 + random.nextInt(80), 160, 200), 0, 480,
                    new Color(60, 90 + random.nextInt(60), 30)));
            g.fillRect(0, 0, 640, 480);
            for (int leaf = 0; leaf < 60; leaf++) {
                g.setColor(new Color(30 + random.nextInt(90), 80 + random.nextInt(120), 20 + random.nextInt(60), 180));
                g.rotate(random.nextDouble() * 0.4 - 0.2, 320, 240);
                g.fillOval(random.nextInt(640) - 40, random.nextInt(480) - 20, 20 + random.nextInt(120), 8 + random.nextInt(40));
            }
            g.dispose();
            int[] pixels = image.getRGB(0, 0, 640, 480, null, 0, 640);
            for (int p = 0; p < pixels.length; p++) {
                int noise = (int) (random.nextGaussian() * 6);
                int r = clamp(((pixels[p] >> 16) & 0xFF) + noise);
                int gr = clamp(((pixels[p] >> 8) & 0xFF) + noise);
                int b = clamp((pixels[p] & 0xFF) + noise);
                pixels[p] = (r << 16) | (gr << 8) | b;
            }
            image.setRGB(0, 0, 640, 480, pixels, 0, 640);
            Path file = dir.resolve(String.format("%06d.jpg", i));
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            files.add(file);
        }
        writer.dispose();
        return files;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
