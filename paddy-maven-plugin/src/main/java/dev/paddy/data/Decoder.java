package dev.paddy.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Turns one image file into an item: square RGB bytes after the item transform. It decodes as
 * small as the item transform allows: OpenCV's
 * {@code IMREAD_REDUCED_COLOR_2/4/8} decodes a JPEG at 1/2, 1/4 or 1/8 of its size in the DCT
 * domain (what Pillow's draft mode does), so a 640x480 photo headed for 224 px is never decoded
 * at full size. Formats OpenCV cannot read, or machines where its native library does not load,
 * fall back to ImageIO and an antialiased Java resampler.
 */
public final class Decoder {
    /** Decoded pixels: {@code rgb} holds width x height x 3 bytes. */
    public record Pixels(byte[] rgb, int width, int height) {}

    private static final boolean OPENCV = loadOpenCv();

    private Decoder() {}

    /**
     * Loads OpenCV's native library from the jar, extracted once into a cache folder
     * ({@code ~/.paddy/opencv/<version>/}, as DJL caches libtorch) rather than with OpenPnP's
     * {@code loadLocally()}, whose shutdown hook deletes a temporary copy after Maven has closed
     * the plugin's class loader (a stack trace after every build, and a leaked folder).
     */
    private static boolean loadOpenCv() {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return false; // other platforms decode with ImageIO
        }
        String library = "libopencv_java490.so";
        try (var in = Decoder.class.getResourceAsStream("/nu/pattern/opencv/linux/x86_64/" + library)) {
            if (in == null) {
                return false;
            }
            Path dir = Path.of(System.getProperty("user.home"), ".paddy", "opencv", "4.9.0-0");
            Path target = dir.resolve(library);
            if (!java.nio.file.Files.isRegularFile(target)) {
                java.nio.file.Files.createDirectories(dir);
                Path temp = java.nio.file.Files.createTempFile(dir, library, ".tmp");
                java.nio.file.Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            System.load(target.toString());
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Which decoder and resize policy make the items here, for logs and cache keys: a change to
     * either yields other pixels, so it must yield other keys ("r2": area below 2x, else bilinear).
     */
    public static String name() {
        return OPENCV ? "opencv-" + org.opencv.core.Core.VERSION + "/r2" : "imageio/r1";
    }

    /**
     * Decodes and item-transforms in one go with OpenCV (reduced decode, area-averaging resize,
     * centre crop or black padding): square RGB bytes of side {@code transform.size()}. Null where
     * OpenCV is not available or cannot read the file, so the caller falls back to ImageIO.
     */
    static byte[] decodeItem(Path file, ItemTransform transform) throws IOException {
        if (!OPENCV) {
            return null;
        }
        int s = transform.size();
        Mat mat = read(file, s, transform.resize() == ItemTransform.Resize.PAD);
        if (mat == null) {
            return null;
        }
        Mat out = new Mat();
        try {
            int w = mat.cols();
            int h = mat.rows();
            switch (transform.resize()) {
                case SQUISH -> Imgproc.resize(mat, out, new Size(s, s), 0, 0, interpolation(w, h, s));
                case CROP -> {
                    int side = Math.min(w, h);
                    Mat centre = mat.submat(new Rect((w - side) / 2, (h - side) / 2, side, side));
                    Imgproc.resize(centre, out, new Size(s, s), 0, 0, interpolation(side, side, s));
                    centre.release();
                }
                case PAD -> {
                    int dw = Math.max(1, (int) Math.round(s * (double) w / Math.max(w, h)));
                    int dh = Math.max(1, (int) Math.round(s * (double) h / Math.max(w, h)));
                    Mat scaled = new Mat();
                    Imgproc.resize(mat, scaled, new Size(dw, dh), 0, 0, interpolation(w, h, Math.max(dw, dh)));
                    int top = (s - dh) / 2;
                    int left = (s - dw) / 2;
                    Core.copyMakeBorder(scaled, out, top, s - dh - top, left, s - dw - left, Core.BORDER_CONSTANT,
                            new Scalar(0, 0, 0));
                    scaled.release();
                }
                default -> throw new IllegalStateException(transform.resize().toString());
            }
            Imgproc.cvtColor(out, out, Imgproc.COLOR_BGR2RGB);
            byte[] rgb = new byte[s * s * 3];
            out.get(0, 0, rgb);
            return rgb;
        } finally {
            mat.release();
            out.release();
        }
    }

    /**
     * Area averaging where the image shrinks by 2x or more (no aliasing), OpenCV's SIMD bilinear
     * below that: after a reduced decode the remaining scale is under 2x, where bilinear is as
     * clean and several times cheaper.
     */
    private static int interpolation(int width, int height, int size) {
        return Math.min(width, height) >= 2 * size ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
    }

    /** OpenCV's decode at the largest reduction that leaves {@code size} pixels on the chosen side; null if unreadable. */
    private static Mat read(Path file, int size, boolean longSide) {
        int[] dims = headerSize(file);
        int factor = 1;
        if (dims != null) {
            int side = longSide ? Math.max(dims[0], dims[1]) : Math.min(dims[0], dims[1]);
            while (factor < 8 && side / (factor * 2) >= size) {
                factor *= 2;
            }
        }
        int flag = switch (factor) {
            case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> Imgcodecs.IMREAD_COLOR;
        };
        Mat mat = Imgcodecs.imread(file.toString(), flag);
        if (mat.empty() || mat.channels() != 3) {
            mat.release();
            return null;
        }
        return mat;
    }

    static Pixels decodeWithImageIo(Path file) throws IOException {
        java.awt.image.BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IOException("not a readable image (no decoder recognised its content)");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new Pixels(rgb, width, height);
    }

    /** Width and height from the file's header only, or null. */
    private static int[] headerSize(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The reference path, ImageIO and the Java resampler, whatever decoder is available (for benchmarks). */
    public static byte[] decodeWithImageIo(Path file, ItemTransform transform) throws IOException {
        Pixels pixels = decodeWithImageIo(file);
        return transformItem(pixels.rgb(), pixels.width(), pixels.height(), transform);
    }

    /** Decodes one image and applies the item transform: square RGB bytes of side transform.size(). */
    public static byte[] decode(Path file, ItemTransform transform) throws IOException {
        byte[] item = decodeItem(file, transform);
        return item != null ? item : decodeWithImageIo(file, transform); // OpenCV absent, or it cannot read the file
    }

    private static byte[] transformItem(byte[] rgb, int width, int height, ItemTransform transform) {
        int s = transform.size();
        byte[] out = new byte[s * s * 3];
        switch (transform.resize()) {
            case SQUISH -> Resampler.resize(rgb, width, height, 0, 0, width, height, out, s, 0, 0, s, s);
            case CROP -> {
                int side = Math.min(width, height);
                Resampler.resize(rgb, width, height, (width - side) / 2.0, (height - side) / 2.0, side, side,
                        out, s, 0, 0, s, s);
            }
            case PAD -> {
                int dw = (int) Math.round(s * (double) width / Math.max(width, height));
                int dh = (int) Math.round(s * (double) height / Math.max(width, height));
                Resampler.resize(rgb, width, height, 0, 0, width, height, out, s, (s - dw) / 2, (s - dh) / 2,
                        Math.max(1, dw), Math.max(1, dh));
            }
            default -> throw new IllegalStateException(transform.resize().toString());
        }
        return out;
    }
}
