package dev.paddy.data;

import static dev.paddy.data.HeaderBytes.u16;
import static dev.paddy.data.HeaderBytes.u32le;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What paddy reads of an image file before a decoder sees it, so that what a decoder would take
 * silently (OpenCV fills a truncated JPEG with grey and only prints "Premature end of JPEG file")
 * or fail on obscurely (an assertion with OpenCV's build path) gets a reason instead:
 * <ul>
 * <li>the format, from the content, not the name ({@link ImageSignature}): JPEG, PNG, BMP and GIF,
 *     which both decoders read; any other content is refused naming what it is (a WebP, an HTML
 *     page, text), even where OpenCV could read it, so a data set gives the same items on every
 *     machine;</li>
 * <li>the size the header declares, refused above {@link #MAX_PIXELS} before a pixel is
 *     allocated (a decompression bomb);</li>
 * <li>whether the file is complete: a JPEG needs its end-of-image marker after its image data
 *     ({@link JpegHeader}), a PNG its chunks up to IEND, each with a matching CRC ({@link PngHeader});</li>
 * <li>the EXIF orientation ({@link ExifOrientation}: a JPEG's APP1, a PNG's eXIf), and a JPEG's
 *     component count and Adobe colour transform, for the ImageIO decoder (OpenCV reads them itself).</li>
 * </ul>
 * GIF's and BMP's headers, a few fields at fixed places, are read here.
 */
final class ImageHeader {
    /** PIL's {@code Image.MAX_IMAGE_PIXELS}: an image declaring more pixels is refused from its header alone. */
    static final long MAX_PIXELS = 89_478_485L;

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
            byte[] start = HeaderBytes.bytesAt(channel, 0, (int) Math.min(size, 512));
            return switch (ImageSignature.format(start)) {
                case JPEG -> JpegHeader.read(channel, size);
                case PNG -> PngHeader.read(channel, size);
                case GIF -> gif(channel, start);
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

    private static Header gif(FileChannel channel, byte[] start) throws UnusableImageException, IOException {
        if (start.length < 10) {
            throw new UnusableImageException("truncated GIF: the file ends inside its header: copy or download it again");
        }
        int width = u16(start, 6, true);
        int height = u16(start, 8, true);
        checkSize("GIF", width, height);
        firstFrameSize(channel, start);
        return new Header(Format.GIF, width, height, 1, 3, -1);
    }

    /**
     * Checks the size of a GIF's first frame, which its decoders allocate and which may be far
     * larger than the screen size its header declares: the blocks before it (the global colour
     * table, extensions) are skipped to its image descriptor. A file that ends before it is left
     * to the decoders, which say it is damaged.
     */
    private static void firstFrameSize(FileChannel channel, byte[] start) throws UnusableImageException, IOException {
        if (start.length < 13) {
            return;
        }
        int packed = start[10] & 0xff;
        long position = 13 + ((packed & 0x80) != 0 ? 3L << ((packed & 7) + 1) : 0);
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(position)));
        int block = in.read();
        for (; block == 0x21; block = in.read()) { // an extension: its label, then sub-blocks up to an empty one
            if (in.read() < 0) {
                return;
            }
            for (int length = in.read(); length > 0; length = in.read()) {
                try {
                    in.skipNBytes(length);
                } catch (EOFException e) {
                    return;
                }
            }
        }
        if (block != 0x2C) { // the trailer, an end, or damage: no frame to size
            return;
        }
        byte[] descriptor = in.readNBytes(8); // left, top, width, height
        if (descriptor.length == 8) {
            checkSize("GIF frame", u16(descriptor, 4, true), u16(descriptor, 6, true));
        }
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
    static void checkSize(String format, int width, int height) throws UnusableImageException {
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
}
