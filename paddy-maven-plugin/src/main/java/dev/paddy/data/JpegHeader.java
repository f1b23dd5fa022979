package dev.paddy.data;

import static dev.paddy.data.HeaderBytes.BLOCK;
import static dev.paddy.data.HeaderBytes.ascii;
import static dev.paddy.data.HeaderBytes.bytesAt;
import static dev.paddy.data.HeaderBytes.u16be;
import static dev.paddy.data.HeaderBytes.u8;
import static dev.paddy.data.ImageHeader.checkSize;

import dev.paddy.data.ImageHeader.Format;
import dev.paddy.data.ImageHeader.Header;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A JPEG's header, read marker by marker up to its image data (the frame's size and component
 * count, the EXIF orientation, Adobe's colour transform), and whether its end-of-image marker
 * follows the image data: a JPEG without it is truncated, whatever a decoder would make of it.
 */
final class JpegHeader {
    private JpegHeader() {}

    /** The checked header of the JPEG open on {@code channel}, of {@code size} bytes. */
    static Header read(FileChannel channel, long size) throws IOException {
        long pos = 2;
        int width = -1;
        int height = -1;
        int components = 0;
        int orientation = 1;
        int adobe = -1;
        long scan = -1;
        while (pos + 4 <= size) {
            byte[] m = bytesAt(channel, pos, 4);
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
                byte[] sof = bytesAt(channel, pos + 4, 6);
                height = u16be(sof, 1);
                width = u16be(sof, 3);
                components = u8(sof, 5);
                checkSize("JPEG", width, height);
            } else if (marker == 0xE1) {
                orientation = ExifOrientation.fromApp1(bytesAt(channel, pos + 4, length - 2), orientation);
            } else if (marker == 0xEE && length >= 14) {
                byte[] app = bytesAt(channel, pos + 4, length - 2);
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
            byte[] block = bytesAt(channel, start, (int) (end - start));
            for (int i = block.length - 2; i >= 0; i--) {
                if (u8(block, i) == 0xFF && u8(block, i + 1) == 0xD9) {
                    return true;
                }
            }
            end = start + 1; // the next block overlaps by one byte, for a marker across the boundary
        }
        return false;
    }
}
