package dev.paddy.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * What paddy reads of an image file before a decoder sees it, so that what a decoder would take
 * silently (OpenCV fills a truncated JPEG with grey and only prints "Premature end of JPEG file")
 * or fail on obscurely (an assertion with OpenCV's build path) gets a reason instead:
 * <ul>
 * <li>the format, from the content, not the name: JPEG, PNG, BMP and GIF, which both decoders
 *     read; any other content is refused naming what it is (a WebP, an HTML page, text), even
 *     where OpenCV could read it, so a data set gives the same items on every machine;</li>
 * <li>the size the header declares, refused above {@link #MAX_PIXELS} before a pixel is
 *     allocated (a decompression bomb);</li>
 * <li>whether the file is complete: a JPEG needs its end-of-image marker after its image data, a
 *     PNG its chunks up to IEND, each with a matching CRC;</li>
 * <li>the EXIF orientation (a JPEG's APP1, a PNG's eXIf), and a JPEG's component count and Adobe
 *     colour transform, for the ImageIO decoder (OpenCV reads them itself).</li>
 * </ul>
 */
final class ImageHeader {
    /** PIL's {@code Image.MAX_IMAGE_PIXELS}: an image declaring more pixels is refused from its header alone. */
    static final long MAX_PIXELS = 89_478_485L;
    private static final String READABLE = "JPEG, PNG, BMP and GIF";
    private static final int BLOCK = 1 << 16;

    enum Format { JPEG, PNG, GIF, BMP }

    /**
     * @param orientation    EXIF orientation, 1 to 8 (1, upright, when absent)
     * @param components     a JPEG's colour components (4: CMYK or YCCK); 3 for the other formats
     * @param adobeTransform a JPEG's Adobe APP14 transform (0 CMYK/RGB, 1 YCbCr, 2 YCCK), -1 when absent
     */
    record Header(Format format, int width, int height, int orientation, int components, int adobeTransform) {}

    private ImageHeader() {}

    /** The checked header of {@code file}, or the reason it is not an image paddy uses. */
    static Header read(Path file) throws UnusableImageException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new UnusableImageException("empty file (0 bytes): copy or download it again");
            }
            byte[] start = read(channel, 0, (int) Math.min(size, 512));
            return switch (sniff(start)) {
                case JPEG -> jpeg(channel, size);
                case PNG -> png(channel, size);
                case GIF -> gif(start);
                case BMP -> bmp(start, size);
            };
        } catch (UnusableImageException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new UnusableImageException("no permission to read it (the build runs as user '"
                    + System.getProperty("user.name") + "'): make it readable (chmod a+r) or remove it", e);
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw new UnusableImageException(linkProblem(file), e);
            }
            if (e instanceof NoSuchFileException) {
                throw new UnusableImageException("the file disappeared while the build was reading the data", e);
            }
            throw new UnusableImageException("cannot read the file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    /** Why a symbolic link cannot be read: a loop (naming its links) or a target that does not exist. */
    static String linkProblem(Path link) {
        List<Path> chain = new ArrayList<>(List.of(link));
        Path current = link;
        try {
            for (int i = 0; i < 40 && Files.isSymbolicLink(current); i++) {
                Path target = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
                if (chain.contains(target)) {
                    StringBuilder names = new StringBuilder();
                    for (Path p : chain) {
                        names.append(p.getFileName()).append(" -> ");
                    }
                    return "symbolic link loop (" + names + target.getFileName() + "): point the link at an image or"
                            + " remove it";
                }
                chain.add(target);
                current = target;
            }
        } catch (IOException e) {
            return "unreadable symbolic link (" + e.getClass().getSimpleName() + "): point it at an image or remove it";
        }
        if (Files.isSymbolicLink(current)) {
            return "symbolic link chain longer than 40 links: point the link at an image or remove it";
        }
        return "broken symbolic link: its target " + current + " does not exist; point it at an image or remove it";
    }

    private static Format sniff(byte[] b) throws UnusableImageException {
        if (b.length >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
            return Format.JPEG;
        }
        if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
            return Format.PNG;
        }
        if (ascii(b, 0, 6).equals("GIF87a") || ascii(b, 0, 6).equals("GIF89a")) {
            return Format.GIF;
        }
        if (ascii(b, 0, 2).equals("BM") && b.length >= 18 && List.of(12L, 40L, 52L, 56L, 64L, 108L, 124L)
                .contains(u32le(b, 14))) {
            return Format.BMP;
        }
        String other = otherFormat(b);
        if (other != null) {
            throw new UnusableImageException(other + ", a format paddy does not read (it reads " + READABLE
                    + "): convert it to PNG or JPEG");
        }
        throw new UnusableImageException(notAnImage(b));
    }

    /** Formats recognised by their signature only to name them; null if none. */
    private static String otherFormat(byte[] b) {
        if (ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return "a WebP image";
        }
        if (ascii(b, 0, 4).equals("II*\0") || ascii(b, 0, 4).equals("MM\0*")) {
            return "a TIFF image";
        }
        if (ascii(b, 4, 4).equals("ftyp")) {
            String brand = ascii(b, 8, 4);
            if (List.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1").contains(brand)) {
                return "a HEIC/HEIF image (as iPhones take them)";
            }
            return brand.startsWith("avi") ? "an AVIF image" : "an MP4 or QuickTime file (a video?)";
        }
        if (ascii(b, 4, 8).equals("jP  \r\n\u0087\n") || startsWith(b, 0, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51})) {
            return "a JPEG 2000 image";
        }
        if (startsWith(b, 0, new byte[] {(byte) 0xFF, 0x0A}) || ascii(b, 4, 8).equals("JXL \r\n\u0087\n")) {
            return "a JPEG XL image";
        }
        if (ascii(b, 0, 4).equals("8BPS")) {
            return "a Photoshop document";
        }
        if (ascii(b, 0, 5).equals("%PDF-")) {
            return "a PDF document";
        }
        if (ascii(b, 0, 4).equals("PK\u0003\u0004")) {
            return "a ZIP archive";
        }
        return null;
    }

    /** The reason for content that is no image at all: an HTML page, an SVG, text, or unknown bytes. */
    private static String notAnImage(byte[] b) {
        boolean text = true;
        for (byte x : b) {
            int c = x & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B)) {
                text = false;
                break;
            }
        }
        if (!text) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(8, b.length); i++) {
                hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
            }
            return "not an image paddy can read (it reads " + READABLE + "; this file starts with the bytes " + hex
                    + "): replace it with the image";
        }
        String content = new String(b, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
        String lower = content.toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.startsWith("<head")) {
            return "an HTML page, not an image (a download that saved an error or sign-in page?): download the image"
                    + " again";
        }
        if (lower.contains("<svg")) {
            return "an SVG drawing, not a picture of pixels: export it to PNG";
        }
        String first = content.lines().findFirst().orElse("").replaceAll("[^\\p{Print}]", "?");
        return "a text file, not an image (it starts with \"" + (first.length() > 40 ? first.substring(0, 40) + "..." : first)
                + "\"): replace it with the image";
    }

    private static Header jpeg(FileChannel channel, long size) throws IOException {
        long pos = 2;
        int width = -1;
        int height = -1;
        int components = 0;
        int orientation = 1;
        int adobe = -1;
        long scan = -1;
        while (pos + 4 <= size) {
            byte[] m = read(channel, pos, 4);
            if (u8(m, 0) != 0xFF) {
                throw new UnusableImageException("damaged JPEG: no marker where its header expects one (byte " + pos
                        + "): copy or download it again");
            }
            int marker = u8(m, 1);
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { // markers without a length
                pos += 2;
                continue;
            }
            if (marker == 0xD9) {
                throw new UnusableImageException("damaged JPEG: it ends before any image data: copy or download it again");
            }
            int length = u16be(m, 2);
            if (length < 2 || pos + 2 + length > size) {
                break; // the segment runs past the end: truncated in its header
            }
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame && length >= 8) {
                byte[] sof = read(channel, pos + 4, 6);
                height = u16be(sof, 1);
                width = u16be(sof, 3);
                components = u8(sof, 5);
                checkSize("JPEG", width, height);
            } else if (marker == 0xE1) {
                orientation = exifOrientation(read(channel, pos + 4, length - 2), orientation);
            } else if (marker == 0xEE && length >= 14) {
                byte[] app = read(channel, pos + 4, length - 2);
                if (ascii(app, 0, 5).equals("Adobe")) {
                    adobe = u8(app, 11);
                }
            } else if (marker == 0xDA) {
                scan = pos;
                break;
            }
            pos += 2 + length;
        }
        if (scan < 0) {
            throw new UnusableImageException("truncated JPEG: the file ends inside its header, before any image data ("
                    + size + " bytes): copy or download it again");
        }
        if (width < 0) {
            throw new UnusableImageException("damaged JPEG: its image data has no frame header before it: copy or"
                    + " download it again");
        }
        if (!endMarkerAfter(channel, scan + 2, size)) {
            throw new UnusableImageException("truncated JPEG: the file ends before the image's end marker, so part of"
                    + " the picture is missing (" + size + " bytes): copy or download it again");
        }
        return new Header(Format.JPEG, width, height, orientation, components, adobe);
    }

    /**
     * Whether the end-of-image marker (FF D9) occurs after {@code from}, searched from the end
     * (data after it is allowed). In a JPEG's entropy-coded data FF is followed only by 00 or a
     * restart marker, so an FF D9 there is the real end; an EXIF thumbnail's own end lies before.
     */
    private static boolean endMarkerAfter(FileChannel channel, long from, long size) throws IOException {
        long end = size;
        while (end - from >= 2) {
            long start = Math.max(from, end - BLOCK);
            byte[] block = read(channel, start, (int) (end - start));
            for (int i = block.length - 2; i >= 0; i--) {
                if (u8(block, i) == 0xFF && u8(block, i + 1) == 0xD9) {
                    return true;
                }
            }
            end = start + 1; // the next block overlaps by one byte, for a marker across the boundary
        }
        return false;
    }

    /** The orientation tag (0x0112) of IFD0 in an APP1 segment, if it is EXIF; else {@code otherwise}. */
    static int exifOrientation(byte[] app, int otherwise) {
        if (app.length < 14 || !ascii(app, 0, 6).equals("Exif\0\0")) {
            return otherwise;
        }
        return tiffOrientation(app, 6, otherwise);
    }

    /** The orientation tag of IFD0 of the TIFF structure (EXIF's) at {@code tiff}; else {@code otherwise}. */
    private static int tiffOrientation(byte[] app, int tiff, int otherwise) {
        if (app.length < tiff + 8) {
            return otherwise;
        }
        boolean little;
        if (ascii(app, tiff, 2).equals("II")) {
            little = true;
        } else if (ascii(app, tiff, 2).equals("MM")) {
            little = false;
        } else {
            return otherwise;
        }
        long ifd = tiff + u32(app, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > app.length) {
            return otherwise;
        }
        int entries = u16(app, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int e = (int) ifd + 2 + 12 * i;
            if (e + 12 > app.length) {
                break;
            }
            if (u16(app, e, little) == 0x0112 && u16(app, e + 2, little) == 3) {
                int value = u16(app, e + 8, little);
                return value >= 1 && value <= 8 ? value : otherwise;
            }
        }
        return otherwise;
    }

    private static Header png(FileChannel channel, long size) throws IOException {
        long pos = 8;
        Header header = null;
        int orientation = 1;
        boolean data = false;
        String last = null;
        CRC32 crc = new CRC32();
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        while (true) {
            if (pos + 12 > size) {
                throw new UnusableImageException("truncated PNG: the file ends " + (last == null ? "after its signature"
                        : "after its " + last + " chunk, before IEND") + ", so part of the picture may be missing ("
                        + size + " bytes): copy or download it again");
            }
            byte[] head = read(channel, pos, 8);
            long length = u32(head, 0, false);
            String type = ascii(head, 4, 4);
            if (!type.matches("[A-Za-z]{4}") || length > Integer.MAX_VALUE) {
                throw new UnusableImageException("damaged PNG: no chunk where one should be (byte " + pos + "): copy or"
                        + " download it again");
            }
            if (header == null && !type.equals("IHDR")) {
                throw new UnusableImageException("damaged PNG: it does not start with its IHDR header: copy or download"
                        + " it again");
            }
            if (pos + 12 + length > size) {
                throw new UnusableImageException("truncated PNG: the file ends inside its " + type + " chunk, so part of"
                        + " the picture is missing (" + size + " bytes): copy or download it again");
            }
            crc.reset();
            crc.update(head, 4, 4);
            byte[] ihdr = null;
            for (long done = 0; done < length; ) {
                buffer.clear().limit((int) Math.min(BLOCK, length - done));
                readFully(channel, buffer, pos + 8 + done);
                crc.update(buffer.array(), 0, buffer.limit());
                if (header == null && done == 0 && buffer.limit() >= 8) {
                    ihdr = java.util.Arrays.copyOf(buffer.array(), 8);
                }
                done += buffer.limit();
            }
            if (crc.getValue() != u32(read(channel, pos + 8 + length, 4), 0, false)) {
                throw new UnusableImageException("damaged PNG: its " + type + " chunk fails its checksum (CRC), so its"
                        + " bytes changed after it was written: copy or download it again");
            }
            if (header == null) {
                if (ihdr == null) {
                    throw new UnusableImageException("damaged PNG: its IHDR header is too short: copy or download it again");
                }
                int width = (int) Math.min(Integer.MAX_VALUE, u32(ihdr, 0, false));
                int height = (int) Math.min(Integer.MAX_VALUE, u32(ihdr, 4, false));
                checkSize("PNG", width, height); // before any image data is read
                header = new Header(Format.PNG, width, height, 1, 3, -1);
            }
            if (type.equals("eXIf") && !data && length <= BLOCK) { // EXIF before the image data, as OpenCV reads it
                orientation = tiffOrientation(read(channel, pos + 8, (int) length), 0, orientation);
            }
            data |= type.equals("IDAT");
            last = type;
            if (type.equals("IEND")) {
                break;
            }
            pos += 12 + length;
        }
        if (!data) {
            throw new UnusableImageException("damaged PNG: it has no image data (no IDAT chunk): copy or download it again");
        }
        return new Header(Format.PNG, header.width(), header.height(), orientation, 3, -1);
    }

    private static Header gif(byte[] start) throws UnusableImageException {
        if (start.length < 10) {
            throw new UnusableImageException("truncated GIF: the file ends inside its header: copy or download it again");
        }
        int width = u16(start, 6, true);
        int height = u16(start, 8, true);
        checkSize("GIF", width, height);
        return new Header(Format.GIF, width, height, 1, 3, -1);
    }

    private static Header bmp(byte[] start, long size) throws UnusableImageException {
        long declared = u32le(start, 2);
        if (start.length < 26 || declared > size) {
            throw new UnusableImageException("truncated BMP: the file has " + size + " bytes" + (declared > size
                    ? ", its header declares " + declared : "") + ": copy or download it again");
        }
        boolean core = u32le(start, 14) == 12;
        int width = core ? u16(start, 18, true) : (int) u32le(start, 18);
        int height = core ? u16(start, 20, true) : Math.abs((int) u32le(start, 22)); // negative: stored top-down
        checkSize("BMP", width, height);
        return new Header(Format.BMP, width, height, 1, 3, -1);
    }

    /** Refuses an empty picture, or more pixels than {@link #MAX_PIXELS}, from the declared size alone. */
    private static void checkSize(String format, int width, int height) throws UnusableImageException {
        if (width <= 0 || height <= 0) {
            throw new UnusableImageException("damaged " + format + ": its header declares an empty picture (" + width
                    + "x" + height + " pixels): copy or download it again");
        }
        long pixels = (long) width * height;
        if (pixels > MAX_PIXELS) {
            throw new UnusableImageException(String.format(Locale.ROOT, "a %s that declares %dx%d pixels (%,d), more"
                    + " than the %,d paddy decodes (PIL's limit against decompression bombs): scale it down or remove"
                    + " it", format, width, height, pixels, MAX_PIXELS));
        }
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(channel, buffer, position);
        return buffer.array();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new UnusableImageException("the file became shorter while the build was reading it: copy it"
                        + " again");
            }
            at += n;
        }
        buffer.flip();
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16be(byte[] b, int i) {
        return u16(b, i, false);
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little ? (long) u16(b, i + 2, true) << 16 | u16(b, i, true) : (long) u16(b, i, false) << 16 | u16(b, i + 2, false);
    }

    private static long u32le(byte[] b, int i) {
        return b.length < i + 4 ? 0 : u32(b, i, true);
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes as ISO-8859-1 characters, or "" where the array is too short. */
    private static String ascii(byte[] b, int at, int length) {
        return b.length < at + length ? "" : new String(b, at, length, StandardCharsets.ISO_8859_1);
    }
}
