package dev.paddy.data;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The bad-input image corpus of issue 12, written by code (ImageIO and raw bytes), no binary
 * files: each case is a file to put in a class folder or the test folder, and what paddy must do
 * with it: use it, decoded to the colours it shows, or refuse it with exactly this reason.
 */
public final class ImageCorpus {
    /** A colour that shows channel swaps and inversions: (200, 60, 30). */
    static final int[] BRICK = {200, 60, 30};
    static final int[] RED = {220, 20, 20};
    static final int[] BLUE = {20, 20, 220};
    static final int[] BLACK = {0, 0, 0};

    private ImageCorpus() {}

    /** Writes a case's file (or link) at the given path. */
    public interface Writer {
        void write(Path file) throws IOException;
    }

    /** One pixel of the decoded item and the colour it must have, within {@code tolerance} per channel. */
    public record Probe(int x, int y, int[] rgb, int tolerance) {}

    /** What paddy does with the file: uses it (the item shows the probes) or refuses it with the reason. */
    public sealed interface Outcome permits Used, Refused {}

    /** Used, decoded through {@code transform} to an item that shows {@code probes}. */
    public record Used(ItemTransform transform, List<Probe> probes) implements Outcome {}

    /** Refused: the reason, as a function of the file (some name its size or path). */
    public record Refused(Function<Path, String> reason) implements Outcome {}

    /**
     * @param fileName the name written in the folder (its ending is what a user would see)
     * @param needs    why the case cannot be built on this machine, given the written file; null when it can
     */
    public record Case(String name, String fileName, Writer writer, Outcome outcome, Function<Path, String> needs) {
        public Path writeTo(Path folder) throws IOException {
            Path file = folder.resolve(fileName);
            writer.write(file);
            return file;
        }

        /** Why this case could not be built as meant here (null: it was), once written. */
        public String unbuildable(Path file) {
            return needs == null ? null : needs.apply(file);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A GIF89a of a {@code screenW x screenH} screen with a 2-colour global table, a comment
     * extension, and one frame that declares {@code frameW x frameH}: what a decoder allocates.
     */
    static byte[] gifWithFrame(int screenW, int screenH, int frameW, int frameH) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(new byte[] {(byte) screenW, (byte) (screenW >> 8), (byte) screenH, (byte) (screenH >> 8),
                (byte) 0x80, 0, 0});
        out.write(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}); // the global colour table
        out.write(new byte[] {0x21, (byte) 0xFE, 3, 'b', 'i', 'g', 0}); // a comment extension before the frame
        out.write(new byte[] {0x2C, 0, 0, 0, 0, (byte) frameW, (byte) (frameW >> 8), (byte) frameH, (byte) (frameH >> 8),
                0});
        out.write(new byte[] {2, 2, 0x4C, 0x01, 0, 0x3B}); // LZW minimum code size, a few data, the trailer
        return out.toByteArray();
    }

    private static Case used(String name, String fileName, Writer writer, ItemTransform transform, Probe... probes) {
        return new Case(name, fileName, writer, new Used(transform, List.of(probes)), null);
    }

    private static Case refused(String name, String fileName, Writer writer, Function<Path, String> reason) {
        return new Case(name, fileName, writer, new Refused(reason), null);
    }

    private static Case refused(String name, String fileName, Writer writer, String reason) {
        return refused(name, fileName, writer, file -> reason);
    }

    private static final ItemTransform SQUISH = new ItemTransform(ItemTransform.Resize.SQUISH, 16);
    private static final ItemTransform PAD = new ItemTransform(ItemTransform.Resize.PAD, 16);
    private static final String AGAIN = ": copy or download it again";

    /** Every case, usable and not. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // Files that are not (whole) images.
        cases.add(refused("zero-byte file", "empty.jpg", file -> Files.write(file, new byte[0]),
                "empty file (0 bytes)" + AGAIN));
        cases.add(refused("truncated JPEG", "truncated.jpg", file -> Files.write(file, cut(jpeg(noise(64, 64), false), 0.6)),
                file -> truncatedJpeg(file)));
        cases.add(refused("truncated progressive JPEG", "truncated-progressive.jpg",
                file -> Files.write(file, cut(jpeg(noise(64, 64), true), 0.6)), file -> truncatedJpeg(file)));
        cases.add(refused("truncated JPEG whose EXIF thumbnail is whole", "truncated-thumbnail.jpg",
                file -> Files.write(file, cut(withApp1(jpeg(noise(64, 64), false), thumbnailExif()), 0.8)),
                file -> truncatedJpeg(file)));
        cases.add(refused("PNG with a bad CRC", "bad-crc.png", file -> Files.write(file, badCrc(png(solid(16, 16, BRICK)))),
                "damaged PNG: its IDAT chunk fails its checksum (CRC), so its bytes changed after it was written" + AGAIN));
        cases.add(refused("truncated PNG", "truncated.png", file -> {
            byte[] png = png(noise(32, 32));
            Files.write(file, Arrays.copyOf(png, png.length - 12)); // without its IEND chunk
        }, file -> "truncated PNG: the file ends after its IDAT chunk, before IEND, so part of the picture may be missing ("
                + size(file) + " bytes)" + AGAIN));
        cases.add(refused("truncated BMP", "truncated.bmp", file -> {
            byte[] bmp = bmp(solid(8, 8, BRICK));
            Files.write(file, Arrays.copyOf(bmp, bmp.length - 40));
        }, file -> "truncated BMP: the file has " + size(file) + " bytes, its header declares " + (size(file) + 40) + AGAIN));
        cases.add(refused("truncated GIF", "truncated.gif", file -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(palette(), "gif", bytes);
            Files.write(file, cut(bytes.toByteArray(), 0.6));
        }, "damaged GIF data that no decoder here can read (ImageIO says: I/O error reading image!)" + AGAIN));
        cases.add(refused("GIF whose first frame is far larger than its screen (a decompression bomb)", "bomb.gif",
                file -> Files.write(file, gifWithFrame(8, 8, 40000, 40000)),
                "a GIF frame that declares 40000x40000 pixels (1,600,000,000), more than the 89,478,485 paddy decodes"
                        + " (PIL's limit against decompression bombs): scale it down or remove it"));
        cases.add(refused("JPEG with a damaged Huffman table", "bad-huffman.jpg",
                file -> Files.write(file, badHuffman(jpeg(noise(32, 32), false))),
                "damaged JPEG data that no decoder here can read (ImageIO says: Bogus Huffman table definition)" + AGAIN));
        cases.add(refused("text named .jpg", "download.jpg", file -> Files.writeString(file, "404: Not Found\n"),
                "a text file, not an image (it starts with \"404: Not Found\"): replace it with the image"));
        cases.add(refused("HTML named .png", "signin.png", file -> Files.writeString(file,
                "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>...</body></html>\n"),
                "an HTML page, not an image (a download that saved an error or sign-in page?): download the image again"));
        cases.add(refused("SVG named .png", "logo.png", file -> Files.writeString(file,
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>\n"),
                "an SVG drawing, not a picture of pixels: export it to PNG"));
        cases.add(refused("binary junk named .jpg", "junk.jpg", file -> Files.write(file, new byte[] {0, 1, 2, 3, 4, 5, 6, 7,
                8, 9}), "not an image paddy can read (it reads JPEG, PNG, BMP and GIF; this file starts with the bytes"
                + " 00 01 02 03 04 05 06 07): replace it with the image"));
        cases.add(refused("WebP named .jpg", "scraped.jpg", file -> Files.write(file, webpHeader()),
                unsupported("a WebP image")));
        cases.add(refused("TIFF named .png", "scan.png", file -> ImageIO.write(solid(8, 8, BRICK), "tiff", file.toFile()),
                unsupported("a TIFF image")));
        cases.add(refused("HEIC named .jpg", "IMG_0001.jpg", file -> Files.write(file, heicHeader()),
                unsupported("a HEIC/HEIF image (as iPhones take them)")));
        cases.add(refused("symlink loop", "loop-a.jpg", file -> {
            Files.createSymbolicLink(file, file.resolveSibling("loop-b.jpg").getFileName());
            Files.createSymbolicLink(file.resolveSibling("loop-b.jpg"), file.getFileName());
        }, "symbolic link loop (loop-a.jpg -> loop-b.jpg -> loop-a.jpg): point the link at an image or remove it"));
        cases.add(refused("broken symlink", "moved.jpg", file -> Files.createSymbolicLink(file, Path.of("gone.jpg")),
                file -> "broken symbolic link: its target " + file.resolveSibling("gone.jpg") + " does not exist; point it"
                        + " at an image or remove it"));
        cases.add(new Case("unreadable file (chmod 000)", "locked.jpg", file -> {
            Files.write(file, jpeg(solid(8, 8, BRICK), false));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        }, new Refused(file -> "no permission to read it (the build runs as user '" + System.getProperty("user.name")
                + "'): make it readable (chmod a+r) or remove it"),
                file -> Files.isReadable(file) ? "this build runs as '" + System.getProperty("user.name") + "', who reads"
                        + " files whatever their permissions (root), so chmod 000 cannot make one unreadable here; run the"
                        + " tests as another user to check this case" : null));
        // Decompression bombs: refused from the header, before the image data (here: none) is read.
        cases.add(refused("PNG declaring 40000x40000", "bomb.png", file -> Files.write(file, pngHeaderOnly(40000, 40000)),
                bomb("PNG", 40000, 40000)));
        cases.add(refused("JPEG declaring 40000x40000", "bomb.jpg", file -> Files.write(file, jpegHeaderOnly(40000, 40000)),
                bomb("JPEG", 40000, 40000)));
        cases.add(refused("PNG declaring one pixel over the limit", "over.png",
                file -> Files.write(file, pngHeaderOnly(89_478_486, 1)), bomb("PNG", 89_478_486, 1)));
        cases.add(refused("PNG declaring exactly the limit (passes the size check)", "limit.png",
                file -> Files.write(file, pngHeaderOnly(89_478_485, 1)), "truncated PNG: the file ends after its IHDR chunk,"
                        + " before IEND, so part of the picture may be missing (33 bytes)" + AGAIN));
        cases.add(refused("PNG declaring a width of 0", "zero-width.png", file -> Files.write(file, pngHeaderOnly(0, 10)),
                "damaged PNG: its header declares an empty picture (0x10 pixels)" + AGAIN));
        // Images that are used, converted as PIL's convert('RGB') and exif_transpose would.
        cases.add(used("CMYK JPEG (Adobe, inverted)", "cmyk.jpg", file -> Files.write(file, cmykJpeg(BRICK, false)), SQUISH,
                new Probe(8, 8, BRICK, 6)));
        cases.add(used("YCCK JPEG", "ycck.jpg", file -> Files.write(file, cmykJpeg(BRICK, true)), SQUISH,
                new Probe(8, 8, BRICK, 6)));
        cases.add(used("grayscale PNG", "gray.png", file -> ImageIO.write(gray8(100), "png", file.toFile()), SQUISH,
                new Probe(8, 8, new int[] {100, 100, 100}, 1)));
        cases.add(used("grayscale JPEG", "gray.jpg", file -> Files.write(file, jpeg(gray8(100), false)), SQUISH,
                new Probe(8, 8, new int[] {100, 100, 100}, 3)));
        cases.add(used("palette PNG", "palette.png", file -> ImageIO.write(palette(), "png", file.toFile()), SQUISH,
                new Probe(3, 8, BRICK, 1), new Probe(12, 8, BLUE, 1)));
        cases.add(used("16-bit grayscale PNG (high byte)", "gray16.png", file -> ImageIO.write(gray16(100 << 8 | 0x80), "png",
                file.toFile()), SQUISH, new Probe(8, 8, new int[] {100, 100, 100}, 1)));
        cases.add(used("16-bit RGB PNG (high byte)", "rgb16.png", file -> ImageIO.write(rgb16(BRICK), "png", file.toFile()),
                SQUISH, new Probe(8, 8, BRICK, 1)));
        cases.add(used("RGBA PNG (alpha dropped, as PIL's convert('RGB'))", "rgba.png", file -> ImageIO.write(rgba(BRICK),
                "png", file.toFile()), SQUISH, new Probe(3, 8, BRICK, 1), new Probe(12, 8, BRICK, 1)));
        cases.add(used("EXIF orientation 6 (big-endian EXIF)", "orientation6.jpg",
                file -> Files.write(file, withApp1(jpeg(wide(), false), exif(6, false))), PAD,
                new Probe(8, 2, RED, 40), new Probe(8, 13, BLUE, 40), new Probe(1, 8, BLACK, 0), new Probe(14, 8, BLACK, 0)));
        cases.add(used("EXIF orientation 8 (little-endian EXIF)", "orientation8.jpg",
                file -> Files.write(file, withApp1(jpeg(wide(), false), exif(8, true))), PAD,
                new Probe(8, 2, BLUE, 40), new Probe(8, 13, RED, 40), new Probe(1, 8, BLACK, 0), new Probe(14, 8, BLACK, 0)));
        cases.add(used("EXIF orientation 6 in a PNG (eXIf chunk)", "orientation6.png",
                file -> Files.write(file, withExifChunk(png(wide()), exif(6, false))), PAD,
                new Probe(8, 2, RED, 1), new Probe(8, 13, BLUE, 1), new Probe(1, 8, BLACK, 0), new Probe(14, 8, BLACK, 0)));
        cases.add(used("1x1 PNG", "one.png", file -> ImageIO.write(solid(1, 1, BRICK), "png", file.toFile()), SQUISH,
                new Probe(0, 0, BRICK, 1), new Probe(15, 15, BRICK, 1)));
        cases.add(used("1x1 JPEG", "one.jpg", file -> Files.write(file, jpeg(solid(1, 1, BRICK), false)), SQUISH,
                new Probe(0, 0, BRICK, 6), new Probe(15, 15, BRICK, 6)));
        cases.add(used("progressive JPEG", "progressive.jpg", file -> Files.write(file, progressive(jpeg(wide(), true))), PAD,
                new Probe(2, 8, RED, 40), new Probe(13, 8, BLUE, 40), new Probe(8, 1, BLACK, 0)));
        cases.add(used("JPEG with bytes after its end marker", "trailing.jpg", file -> {
            byte[] jpeg = jpeg(solid(16, 16, BRICK), false);
            byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100); // zeros, as some cameras and tools append
            Files.write(file, padded);
        }, SQUISH, new Probe(8, 8, BRICK, 6)));
        cases.add(used("PNG named .jpg (the content decides)", "really-a-png.jpg",
                file -> ImageIO.write(solid(8, 8, BRICK), "png", file.toFile()), SQUISH, new Probe(8, 8, BRICK, 1)));
        cases.add(used("GIF", "palette.gif", file -> ImageIO.write(palette(), "gif", file.toFile()), SQUISH,
                new Probe(3, 8, BRICK, 1), new Probe(12, 8, BLUE, 1)));
        cases.add(used("BMP", "plain.bmp", file -> ImageIO.write(solid(8, 8, BRICK), "bmp", file.toFile()), SQUISH,
                new Probe(8, 8, BRICK, 1)));
        return cases;
    }

    /** The case called {@code name}. */
    public static Case named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The reason paddy gives for {@code file}, written by a refused case. */
    public static String reason(Case refused, Path file) {
        return ((Refused) refused.outcome()).reason().apply(file);
    }

    static String truncatedJpeg(Path file) {
        return "truncated JPEG: the file ends before the image's end marker, so part of the picture is missing ("
                + size(file) + " bytes)" + AGAIN;
    }

    static String unsupported(String what) {
        return what + ", a format paddy does not read (it reads JPEG, PNG, BMP and GIF): convert it to PNG or JPEG";
    }

    static String bomb(String format, int width, int height) {
        return String.format(Locale.ROOT, "a %s that declares %dx%d pixels (%,d), more than the 89,478,485 paddy decodes"
                + " (PIL's limit against decompression bombs): scale it down or remove it", format, width, height,
                (long) width * height);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // --- pictures -------------------------------------------------------------------------

    static BufferedImage solid(int w, int h, int[] rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
            }
        }
        return image;
    }

    /** 64x32: the left half red, the right half blue, to show a rotation or a flip. */
    static BufferedImage wide() {
        BufferedImage image = solid(64, 32, RED);
        for (int y = 0; y < 32; y++) {
            for (int x = 32; x < 64; x++) {
                image.setRGB(x, y, BLUE[0] << 16 | BLUE[1] << 8 | BLUE[2]);
            }
        }
        return image;
    }

    /** Noise compresses poorly: a file long enough that cutting it loses image data. */
    static BufferedImage noise(int w, int h) {
        SplittableRandom random = new SplittableRandom(7);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    static BufferedImage gray8(int value) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setSample(x, y, 0, value);
            }
        }
        return image;
    }

    static BufferedImage gray16(int value) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setSample(x, y, 0, value);
            }
        }
        return image;
    }

    /** 16 bits per channel: each colour's high byte, with low bytes that would round the other way. */
    static BufferedImage rgb16(int[] rgb) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(8, 8);
        int[] px = {rgb[0] << 8 | 0x30, rgb[1] << 8 | 0x40, rgb[2] << 8 | 0x70};
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setPixel(x, y, px);
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    /** Left half brick at alpha 64, right half brick at alpha 0: dropping alpha shows brick everywhere. */
    static BufferedImage rgba(int[] rgb) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, (x < 4 ? 64 : 0) << 24 | rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
            }
        }
        return image;
    }

    /** Two palette entries: brick on the left, blue on the right. */
    static BufferedImage palette() {
        IndexColorModel model = new IndexColorModel(1, 2, new byte[] {(byte) BRICK[0], (byte) BLUE[0]},
                new byte[] {(byte) BRICK[1], (byte) BLUE[1]}, new byte[] {(byte) BRICK[2], (byte) BLUE[2]});
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED, model);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, x < 8 ? 0 : 1);
            }
        }
        return image;
    }

    // --- files ----------------------------------------------------------------------------

    static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
        return jpeg(new IIOImage(image, null, null), progressive);
    }

    private static byte[] jpeg(IIOImage image, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    static byte[] bmp(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "bmp", bytes);
        return bytes.toByteArray();
    }

    /** A progressive JPEG, checked to be one: its frame header is SOF2. */
    static byte[] progressive(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC2) {
                return jpeg;
            }
        }
        throw new AssertionError("ImageIO wrote no progressive JPEG");
    }

    static byte[] cut(byte[] bytes, double keep) {
        return Arrays.copyOf(bytes, (int) (bytes.length * keep));
    }

    /**
     * A 4-component JPEG of one colour as Adobe (Photoshop) writes them: CMYK stored inverted,
     * with an APP14 "Adobe" segment saying transform 0 (CMYK) or 2 (YCCK: the inverted C, M, Y
     * turned into YCbCr as libjpeg's encoder does, K as is). ImageIO writes a 4-band raster's
     * samples as given; the APP14 segment is added here.
     */
    static byte[] cmykJpeg(int[] rgb, boolean ycck) throws IOException {
        int k = 255 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
        int[] inverted = new int[4]; // C', M', Y', K': what R = C' K' / 255 decodes back to rgb
        for (int c = 0; c < 3; c++) {
            inverted[c] = (int) Math.round(rgb[c] * 255.0 / (255 - k));
        }
        inverted[3] = 255 - k;
        int[] px = inverted.clone();
        if (ycck) { // libjpeg's cmyk_ycck_convert: R = 255 - C', ... then YCbCr
            double r = 255 - inverted[0];
            double g = 255 - inverted[1];
            double b = 255 - inverted[2];
            px[0] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            px[1] = (int) Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
            px[2] = (int) Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
        }
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setPixel(x, y, px);
            }
        }
        byte[] jpeg = jpeg(new IIOImage(raster, null, null), false);
        byte[] adobe = ByteBuffer.allocate(16).put((byte) 0xFF).put((byte) 0xEE).putShort((short) 14)
                .put("Adobe".getBytes(StandardCharsets.US_ASCII)).putShort((short) 100).putShort((short) 0)
                .putShort((short) 0).put((byte) (ycck ? 2 : 0)).array();
        return insertAfterSoi(jpeg, adobe);
    }

    /** An APP1 segment holding {@code payload}, after the JFIF segment (or right after SOI). */
    static byte[] withApp1(byte[] jpeg, byte[] payload) {
        byte[] segment = ByteBuffer.allocate(4 + payload.length).put((byte) 0xFF).put((byte) 0xE1)
                .putShort((short) (2 + payload.length)).put(payload).array();
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF);
        }
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, at);
        System.arraycopy(segment, 0, out, at, segment.length);
        System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
        return out;
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    /** EXIF with one tag in IFD0: Orientation (0x0112, SHORT) = {@code orientation}. */
    static byte[] exif(int orientation, boolean littleEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4)
                .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        tiff.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        tiff.put((littleEndian ? "II" : "MM").getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** EXIF followed by a whole small JPEG, as a camera's thumbnail: its end marker comes before the main image's data. */
    static byte[] thumbnailExif() throws IOException {
        byte[] exif = exif(1, false);
        byte[] thumbnail = jpeg(solid(8, 8, BRICK), false);
        byte[] out = Arrays.copyOf(exif, exif.length + thumbnail.length);
        System.arraycopy(thumbnail, 0, out, exif.length, thumbnail.length);
        return out;
    }

    /** An eXIf chunk (the TIFF structure of {@code exif}, without its "Exif\0\0" prefix) right after IHDR. */
    static byte[] withExifChunk(byte[] png, byte[] exif) {
        byte[] chunk = chunk("eXIf", Arrays.copyOfRange(exif, 6, exif.length));
        int at = 8 + 25; // the signature, then IHDR: 4 + 4 + 13 + 4 bytes
        byte[] out = new byte[png.length + chunk.length];
        System.arraycopy(png, 0, out, 0, at);
        System.arraycopy(chunk, 0, out, at, chunk.length);
        System.arraycopy(png, at, out, at + chunk.length, png.length - at);
        return out;
    }

    /** A PNG whose IDAT data has one byte changed: its CRC no longer matches. */
    static byte[] badCrc(byte[] png) {
        byte[] out = png.clone();
        int idat = indexOf(out, "IDAT".getBytes(StandardCharsets.US_ASCII));
        out[idat + 6] ^= 0x55;
        return out;
    }

    /** A JPEG whose first Huffman table counts more codes than exist: every decoder must give up. */
    static byte[] badHuffman(byte[] jpeg) {
        byte[] out = jpeg.clone();
        int dht = indexOf(out, new byte[] {(byte) 0xFF, (byte) 0xC4});
        Arrays.fill(out, dht + 5, dht + 5 + 16, (byte) 0xFF); // the 16 code counts: 16 x 255 codes
        return out;
    }

    /** The PNG signature and an IHDR chunk declaring width x height (8-bit RGB), nothing more. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        byte[] chunk = chunk("IHDR", ihdr.array());
        byte[] out = new byte[8 + chunk.length];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, out, 0, 8);
        System.arraycopy(chunk, 0, out, 8, chunk.length);
        return out;
    }

    /** SOI and a baseline frame header (SOF0) declaring width x height, 3 components, nothing more. */
    static byte[] jpegHeaderOnly(int width, int height) {
        return ByteBuffer.allocate(2 + 19).put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF).put((byte) 0xC0)
                .putShort((short) 17).put((byte) 8).putShort((short) height).putShort((short) width).put((byte) 3)
                .put(new byte[] {1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1}).array();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** The start of a lossless WebP file (RIFF container, VP8L chunk): its signature is what paddy reads. */
    static byte[] webpHeader() {
        byte[] data = {0x2F, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // VP8L signature byte, then a 1x1 header's bits
        return ByteBuffer.allocate(20 + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + data.length)
                .put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data).array();
    }

    /** The start of a HEIC file: an ISO media 'ftyp' box with the brand 'heic'. */
    static byte[] heicHeader() {
        return ByteBuffer.allocate(24).putInt(24).put("ftypheic".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .put("mif1heic".getBytes(StandardCharsets.US_ASCII)).array();
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }
}
