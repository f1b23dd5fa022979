package dev.paddy.report;

import dev.paddy.data.Decoder;
import dev.paddy.data.ItemTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A validation image as a small square JPEG for the top-losses grid: decoded by the training's own
 * {@link Decoder} (PNG or JPEG), padded to a square as fastai shows them. A missing or unreadable
 * file becomes a placeholder naming the reason.
 */
final class Thumbnails {
    /** Pixels on a side, in the file and on the page. */
    static final int SIZE = 112;
    private static final float QUALITY = 0.9f;

    private Thumbnails() {}

    static Figure of(Path image) {
        if (image == null) {
            return Figure.failed("no image", "no image path recorded", SIZE, SIZE);
        }
        if (!Files.exists(image)) {
            return Figure.failed("image not found", "image not found: " + image, SIZE, SIZE);
        }
        try {
            byte[] rgb = Decoder.decode(image, new ItemTransform(ItemTransform.Resize.PAD, SIZE));
            return Figure.of("image/jpeg", jpeg(rgb), SIZE, SIZE);
        } catch (IOException | RuntimeException | LinkageError e) {
            return Figure.failed("image not readable", "image not readable: " + Figure.reason(e), SIZE, SIZE);
        }
    }

    private static byte[] jpeg(byte[] rgb) throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
        }
        image.setRGB(0, 0, SIZE, SIZE, pixels, 0, SIZE);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
