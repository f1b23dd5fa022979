package dev.paddy.data;

import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.opencv.core.Core;
import org.opencv.core.CvException;
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
 * at full size. Files OpenCV cannot decode, or machines where its native library does not load,
 * fall back to ImageIO and an antialiased Java resampler, converting colours as OpenCV does.
 * Before either decoder sees a file, {@link ImageHeader} checks it: what paddy will not use
 * throws {@link UnusableImageException} with a reason the user can act on.
 */
public final class Decoder {
    /** Decoded pixels: {@code rgb} holds width x height x 3 bytes. */
    public record Pixels(byte[] rgb, int width, int height) {}

    private Decoder() {}

    /**
     * Which decoder, resize policy and checks make the items here, for logs and cache keys: a
     * change to any yields other pixels or other skipped images, so it must yield other keys
     * ("r2": area below 2x, else bilinear; "c1": {@link ImageHeader}'s checks, ImageIO's grey,
     * CMYK and EXIF orientation converted as OpenCV converts them).
     */
    public static String name() {
        return OpenCv.loaded() ? "opencv-" + OpenCv.version() + "/r2/c1" : "imageio/r1/c1";
    }

    /**
     * Decodes and item-transforms in one go with OpenCV (reduced decode, area-averaging resize,
     * centre crop or black padding): square RGB bytes of side {@code transform.size()}. Null where
     * OpenCV cannot decode the file, so the caller falls back to ImageIO.
     */
    private static byte[] decodeItem(Path file, ImageHeader.Header header, ItemTransform transform) {
        int s = transform.size();
        Mat mat = read(file, header, s, transform.resize() == ItemTransform.Resize.PAD);
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
                    PadBox box = PadBox.of(w, h, s);
                    Mat scaled = new Mat();
                    Imgproc.resize(mat, scaled, new Size(box.width(), box.height()), 0, 0,
                            interpolation(w, h, Math.max(box.width(), box.height())));
                    Core.copyMakeBorder(scaled, out, box.top(), s - box.height() - box.top(), box.left(),
                            s - box.width() - box.left(), Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
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

    /**
     * OpenCV's decode, at the largest reduction that leaves {@code size} pixels on the chosen
     * side, as 8-bit BGR: grey and palette expanded, 16 bits cut to their high byte, alpha dropped,
     * EXIF orientation applied. Null if OpenCV cannot decode it; OpenCV's own exceptions (an
     * assertion with its build path) are not a reason a user can act on, so they mean null too.
     */
    private static Mat read(Path file, ImageHeader.Header header, int size, boolean longSide) {
        int side = longSide ? Math.max(header.width(), header.height()) : Math.min(header.width(), header.height());
        int factor = 1;
        while (factor < 8 && side / (factor * 2) >= size) {
            factor *= 2;
        }
        int flag = switch (factor) {
            case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> Imgcodecs.IMREAD_COLOR;
        };
        Mat mat;
        try {
            mat = Imgcodecs.imread(file.toString(), flag);
        } catch (CvException e) {
            return null;
        }
        if (mat.empty() || mat.channels() != 3) {
            mat.release();
            return null;
        }
        return mat;
    }

    /**
     * ImageIO's decode, as 8-bit RGB in display orientation, converted as OpenCV converts: grey
     * from its samples (ImageIO's getRGB would take them as linear light and brighten them), 16
     * bits cut to their high byte, alpha dropped, CMYK and YCCK JPEGs from their raw samples
     * (ImageIO alone gets their colours wrong), EXIF orientation applied.
     */
    private static Pixels decodeWithImageIo(Path file, ImageHeader.Header header)
            throws UnusableImageException {
        Raster raster;
        java.awt.image.BufferedImage image = null;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("no ImageIO reader for it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if (header.format() == ImageHeader.Format.JPEG && header.components() == 4) {
                    raster = reader.readRaster(0, null);
                } else {
                    image = reader.read(0);
                    raster = image.getRaster();
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnusableImageException("damaged " + header.format() + " data that no decoder here can read (ImageIO"
                    + " says: " + message + "): copy or download it again", e);
        }
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] rgb = new byte[width * height * 3];
        if (image == null) {
            cmyk(raster, header.adobeTransform() == 2, rgb);
        } else if (image.getColorModel() instanceof java.awt.image.ComponentColorModel model
                && model.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
            int shift = Math.max(0, model.getComponentSize(0) - 8);
            for (int y = 0, i = 0; y < height; y++) {
                for (int x = 0; x < width; x++, i += 3) {
                    byte grey = (byte) (raster.getSample(x, y, 0) >> shift);
                    rgb[i] = grey;
                    rgb[i + 1] = grey;
                    rgb[i + 2] = grey;
                }
            }
        } else {
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
        }
        return orient(new Pixels(rgb, width, height), header.orientation());
    }

    /**
     * A 4-component JPEG's raw samples to RGB, as libjpeg and OpenCV do: YCCK is first turned
     * into CMYK, and the CMYK is Adobe's inverted kind (what Photoshop and every common writer
     * store), so R = C' x K' / 255 with C' and K' the stored values.
     */
    private static void cmyk(Raster raster, boolean ycck, byte[] rgb) {
        int[] px = new int[4];
        for (int y = 0, i = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++, i += 3) {
                raster.getPixel(x, y, px);
                if (ycck) { // libjpeg's YCCK to CMYK: C = 255 - R of the YCbCr, K as stored
                    double cb = px[1] - 128;
                    double cr = px[2] - 128;
                    int luma = px[0];
                    px[0] = 255 - clamp(luma + 1.402 * cr);
                    px[1] = 255 - clamp(luma - 0.344136 * cb - 0.714136 * cr);
                    px[2] = 255 - clamp(luma + 1.772 * cb);
                }
                rgb[i] = (byte) (px[0] * px[3] / 255);
                rgb[i + 1] = (byte) (px[1] * px[3] / 255);
                rgb[i + 2] = (byte) (px[2] * px[3] / 255);
            }
        }
    }

    /**
     * The pixels as they are meant to be shown, from their EXIF orientation, as PIL's
     * {@code ImageOps.exif_transpose} turns them (6: 90 degrees clockwise, 8: counter-clockwise).
     */
    static Pixels orient(Pixels pixels, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return pixels;
        }
        int w = pixels.width();
        int h = pixels.height();
        boolean swap = orientation >= 5;
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        byte[] out = new byte[pixels.rgb().length];
        for (int y = 0, o = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++, o += 3) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                System.arraycopy(pixels.rgb(), (sy * w + sx) * 3, out, o, 3);
            }
        }
        return new Pixels(out, outW, outH);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** The reference path, ImageIO and the Java resampler, whatever decoder is available (for benchmarks). */
    public static byte[] decodeWithImageIo(Path file, ItemTransform transform) throws IOException {
        return decode(file, transform, false);
    }

    /**
     * Decodes one image and applies the item transform: square RGB bytes of side transform.size().
     * The file is checked first ({@link ImageHeader}); an image paddy will not use throws
     * {@link UnusableImageException} with the reason.
     */
    public static byte[] decode(Path file, ItemTransform transform) throws IOException {
        return decode(file, transform, OpenCv.loaded());
    }

    /** As {@link #decode(Path, ItemTransform)}, with OpenCV if loaded or with ImageIO alone (what machines without OpenCV run). */
    static byte[] decode(Path file, ItemTransform transform, boolean openCv) throws UnusableImageException {
        ImageHeader.Header header = ImageHeader.read(file);
        if (openCv && OpenCv.loaded()) {
            byte[] item = decodeItem(file, header, transform);
            if (item != null) {
                return item;
            }
        }
        Pixels pixels = decodeWithImageIo(file, header);
        return transformItem(pixels.rgb(), pixels.width(), pixels.height(), transform);
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
                PadBox box = PadBox.of(width, height, s);
                Resampler.resize(rgb, width, height, 0, 0, width, height, out, s, box.imageIoLeft(), box.imageIoTop(),
                        box.width(), box.height());
            }
            default -> throw new IllegalStateException(transform.resize().toString());
        }
        return out;
    }
}
