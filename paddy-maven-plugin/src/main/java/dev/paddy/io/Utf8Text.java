package dev.paddy.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Text files the user writes or downloads (the manifest, CSVs), read strictly as UTF-8: a file in
 * another encoding (Latin-1, UTF-16) is refused with the place of its first foreign byte instead
 * of being read with replacement characters, and a leading UTF-8 byte order mark (Excel's "CSV
 * UTF-8" writes one) is dropped. A NUL byte is refused too: none of these files holds one, and
 * UTF-16 without a byte order mark shows as one in every other byte.
 */
public final class Utf8Text {
    private static final char BOM = '\uFEFF';

    private Utf8Text() {}

    /** The file is not UTF-8 text; says where, as a byte offset and as line and column. */
    public static final class NotUtf8Exception extends IOException {
        private final String what;
        private final long offset;
        private final int line;
        private final int column;

        NotUtf8Exception(String what, long offset, int line, int column) {
            super(String.format(Locale.ROOT, "not UTF-8 text: %s at line %d, column %d (byte offset %d)",
                    what, line, column, offset));
            this.what = what;
            this.offset = offset;
            this.line = line;
            this.column = column;
        }

        /** What was found instead of UTF-8 text: "byte 0xE9", "a NUL byte (0x00)", ... */
        public String what() {
            return what;
        }

        /** 0-based offset of the first byte that is not UTF-8 text. */
        public long offset() {
            return offset;
        }

        /** 1-based line of that byte. */
        public int line() {
            return line;
        }

        /** 1-based column (characters) of that byte in its line. */
        public int column() {
            return column;
        }
    }

    /** The file is larger than the reader accepts. */
    public static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * The file's text, without a leading byte order mark.
     *
     * @param maxBytes the largest file accepted; a larger one throws {@link TooLargeException} before it is read
     */
    public static String read(Path file, long maxBytes) throws IOException {
        long limit = Math.min(maxBytes, Integer.MAX_VALUE - 16L);
        long size = Files.size(file);
        byte[] bytes = size > limit ? null : Files.readAllBytes(file);
        if (bytes == null || bytes.length > limit) {
            throw new TooLargeException(String.format(Locale.ROOT, "%,d bytes, more than the %,d this file may have",
                    bytes == null ? size : bytes.length, limit));
        }
        return decode(bytes);
    }

    /** {@code bytes} as UTF-8 text, without a leading byte order mark. */
    public static String decode(byte[] bytes) throws NotUtf8Exception {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new NotUtf8Exception(String.format(Locale.ROOT, "a UTF-16 byte order mark (0x%02X 0x%02X)",
                    bytes[0] & 0xFF, bytes[1] & 0xFF), 0, 1, 1);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            throw foreign(bytes, in.position(), out, String.format(Locale.ROOT, "byte 0x%02X", bytes[in.position()] & 0xFF));
        }
        out.flip();
        String text = out.toString();
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            String before = text.substring(0, nul);
            throw foreign(bytes, before.getBytes(StandardCharsets.UTF_8).length, before,
                    "a NUL byte (0x00) (a UTF-16 file without a byte order mark?)");
        }
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /** @param before the text before {@code offset} */
    private static NotUtf8Exception foreign(byte[] bytes, int offset, CharSequence before, String what) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        int lineStart = before.length();
        while (lineStart > 0 && before.charAt(lineStart - 1) != '\n') {
            lineStart--;
        }
        int column = before.length() - lineStart + 1;
        return new NotUtf8Exception(what, offset, line, column);
    }
}
