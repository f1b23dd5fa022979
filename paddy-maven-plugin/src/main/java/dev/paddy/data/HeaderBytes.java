package dev.paddy.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/** An image file's header bytes: whole ranges read from its channel, and integers and text read out of them. */
final class HeaderBytes {
    /** Bytes read at a time where a header reader goes through a long stretch (a PNG chunk, a JPEG's end). */
    static final int BLOCK = 1 << 16;

    private HeaderBytes() {}

    /** The {@code length} bytes at {@code position}; a file that turns out shorter is refused. */
    static byte[] bytesAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(channel, buffer, position);
        return buffer.array();
    }

    /** Fills {@code buffer} from {@code position} on, then flips it for reading. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
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

    /** The unsigned byte at {@code i}. */
    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    /** The unsigned 16-bit integer at {@code i}, big-endian. */
    static int u16be(byte[] b, int i) {
        return u16(b, i, false);
    }

    /** The unsigned 16-bit integer at {@code i}, little-endian if {@code little}. */
    static int u16(byte[] b, int i, boolean little) {
        return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    /** The unsigned 32-bit integer at {@code i}, little-endian if {@code little}. */
    static long u32(byte[] b, int i, boolean little) {
        return little ? (long) u16(b, i + 2, true) << 16 | u16(b, i, true) : (long) u16(b, i, false) << 16 | u16(b, i + 2, false);
    }

    /** The unsigned little-endian 32-bit integer at {@code i}, or 0 where the array is too short. */
    static long u32le(byte[] b, int i) {
        return b.length < i + 4 ? 0 : u32(b, i, true);
    }

    /** Whether {@code b} holds {@code prefix} at {@code at}. */
    static boolean startsWith(byte[] b, int at, byte[] prefix) {
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
    static String ascii(byte[] b, int at, int length) {
        return b.length < at + length ? "" : new String(b, at, length, StandardCharsets.ISO_8859_1);
    }
}
