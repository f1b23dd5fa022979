package dev.paddy.ensemble;

import dev.paddy.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Class probabilities for a list of image ids, stored as one file with the key that produced
 * them and a CRC32 of the whole content. Writes are atomic (temp file, then rename). A file that
 * is there but cannot be used (truncated, modified, not a predictions file, of a newer paddy's
 * format, or holding another key than its name says) throws {@link CorruptedException} with the
 * reason: the caller reports it and recomputes.
 */
public record Predictions(String key, List<String> ids, List<String> vocabulary, float[][] probabilities) {
    private static final int MAGIC = 0x50414459; // "PADY"
    private static final int VERSION = 1;

    /** The number of images whose probabilities hold a NaN or an infinity (a diverged model's). */
    public int nonFiniteRows() {
        return nonFiniteRows(probabilities);
    }

    /** The number of rows of {@code probabilities} ([image][class]) that hold a NaN or an infinity. */
    public static int nonFiniteRows(float[][] probabilities) {
        int rows = 0;
        for (float[] row : probabilities) {
            for (float p : row) {
                if (!Float.isFinite(p)) {
                    rows++;
                    break;
                }
            }
        }
        return rows;
    }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(key);
            out.writeInt(vocabulary.size());
            for (String label : vocabulary) {
                out.writeUTF(label);
            }
            out.writeInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                out.writeUTF(ids.get(i));
                for (float p : probabilities[i]) {
                    out.writeFloat(p);
                }
            }
        }
        byte[] content = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(content);
        AtomicFiles.write(file, out -> out.write(ByteBuffer.allocate(content.length + 8).put(content)
                .putLong(crc.getValue()).array()));
    }

    /**
     * Reads {@code file} if it exists, is whole (checksum) and holds {@code expectedKey}.
     *
     * @return empty if absent; throws {@link CorruptedException} if present but damaged
     */
    public static Optional<Predictions> read(Path file, String expectedKey) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length >= 8 && ByteBuffer.wrap(all).getInt() == MAGIC && ByteBuffer.wrap(all).getInt(4) > VERSION) {
            // Checked before the checksum: a newer format may place or compute it differently.
            throw new CorruptedException(file + ": written by a newer paddy (predictions format "
                    + ByteBuffer.wrap(all).getInt(4) + "; this paddy reads format " + VERSION + ")");
        }
        if (all.length < 16) {
            throw new CorruptedException(file + ": truncated (" + all.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new CorruptedException(file + ": checksum mismatch (truncated or modified)");
        }
        int body = all.length - 8;
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, body))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new CorruptedException(file + ": not a paddy predictions file");
            }
            String key = in.readUTF();
            if (!key.equals(expectedKey)) {
                throw new CorruptedException(file + ": holds predictions for key " + shown(key) + ", not for "
                        + shown(expectedKey) + " (a file copied or renamed by hand?)");
            }
            List<String> vocabulary = new ArrayList<>();
            int classes = in.readInt();
            // Each count is checked against the bytes left before anything is allocated for it: a
            // checksum anyone can recompute is no protection against a file that declares 2^30 rows.
            if (classes < 1 || classes > in.available() / 2) {
                throw new CorruptedException(file + ": declares " + classes + " classes, which its " + all.length
                        + " bytes cannot hold");
            }
            for (int c = 0; c < classes; c++) {
                vocabulary.add(in.readUTF());
            }
            int count = in.readInt();
            if (count < 0 || count > in.available() / (2 + 4L * classes)) {
                throw new CorruptedException(file + ": declares " + count + " images of " + classes + " classes, which"
                        + " its " + all.length + " bytes cannot hold");
            }
            List<String> ids = new ArrayList<>(count);
            float[][] probabilities = new float[count][classes];
            for (int i = 0; i < count; i++) {
                ids.add(in.readUTF());
                for (int c = 0; c < classes; c++) {
                    probabilities[i][c] = in.readFloat();
                }
            }
            if (in.available() > 0) {
                throw new CorruptedException(file + ": " + in.available() + " bytes after its last image");
            }
            return Optional.of(new Predictions(key, ids, vocabulary, probabilities));
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new CorruptedException(file + ": ends before the images it declares (" + e + ")");
        }
    }

    private static String shown(String key) {
        return key.length() > 16 ? key.substring(0, 16) : key;
    }

    /** A cache entry that exists but cannot be trusted. */
    public static final class CorruptedException extends IOException {
        public CorruptedException(String message) {
            super(message);
        }
    }

}
