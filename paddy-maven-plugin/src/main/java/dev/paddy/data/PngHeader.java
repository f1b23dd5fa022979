package dev.paddy.data;

import static dev.paddy.data.HeaderBytes.BLOCK;
import static dev.paddy.data.HeaderBytes.ascii;
import static dev.paddy.data.HeaderBytes.bytesAt;
import static dev.paddy.data.HeaderBytes.readFully;
import static dev.paddy.data.HeaderBytes.u32;
import static dev.paddy.data.ImageHeader.checkSize;

import dev.paddy.data.ImageHeader.Format;
import dev.paddy.data.ImageHeader.Header;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * A PNG's header and completeness: every chunk up to IEND is there and matches its CRC, the IHDR
 * comes first (its size checked before any image data is read), there is image data (IDAT), and
 * an eXIf chunk before it gives the orientation.
 */
final class PngHeader {
    private PngHeader() {}

    /** The checked header of the PNG open on {@code channel}, of {@code size} bytes. */
    static Header read(FileChannel channel, long size) throws IOException {
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
            byte[] head = bytesAt(channel, pos, 8);
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
            if (crc.getValue() != u32(bytesAt(channel, pos + 8 + length, 4), 0, false)) {
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
                orientation = ExifOrientation.fromTiff(bytesAt(channel, pos + 8, (int) length), 0, orientation);
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
}
