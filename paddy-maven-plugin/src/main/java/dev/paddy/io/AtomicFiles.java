package dev.paddy.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every file paddy writes under its output folder goes through here, so that readers see the old
 * content or the new, never a part: the content goes into a temporary file beside the target
 * ({@code .<name>.<digits>.tmp}, created with the user's umask), is synced to the disk, then
 * renamed over the target atomically, and the folder is synced so that the rename survives a power cut.
 * A kill at any moment leaves the target as it was (absent, or its previous version) and at most
 * a temporary file, which no reader looks at and which {@link #removeStale} deletes when the next
 * build takes the output folder's lock. A failed write removes its temporary file; a full disk
 * fails with a {@link DiskFullException} that says what was needed and what is free.
 *
 * <p>For paddy's own tests, the system property {@code paddy.test.fault} makes a named file's write
 * halt the JVM or meet a full disk ({@link WriteFaults}); unset, as always outside those tests, it
 * does nothing.
 */
public final class AtomicFiles {
    /** What to write. It may be asked to write twice (to measure it when the disk was full). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What to write through a channel of the temporary file, at positions of its choosing. */
    @FunctionalInterface
    public interface ChannelContent {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Names of this class's temporary files, {@code .<name>.<at least 9 digits>.tmp}: no user's file
     * ({@code draft2.tmp}, {@code notes.tmp}) has that shape, so {@link #removeStale} deletes only paddy's.
     */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.\\d{9,}\\.tmp");
    private static final SecureRandom NAMES = new SecureRandom();

    private AtomicFiles() {}

    public static void write(Path file, Content content) throws IOException {
        Path dir = folder(file);
        WriteFaults.Fault fault = WriteFaults.forFile(file);
        Path temp = temporary(dir, file);
        Counting counted = null;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                if (fault != null && fault.mode() == WriteFaults.Mode.HALT_WRITING) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    content.writeTo(all);
                    channel.write(ByteBuffer.wrap(all.toByteArray(), 0, all.size() / 2));
                    channel.force(true);
                    fault.halt(file);
                }
                counted = new Counting(Channels.newOutputStream(channel), fault);
                OutputStream out = new BufferedOutputStream(counted, 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            finish(temp, file, fault);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            if (DiskFullException.isNoSpace(e) && !(e instanceof DiskFullException)) {
                throw new DiskFullException(file, measure(content, counted == null ? 0 : counted.count),
                        usableSpace(dir, fault), e);
            }
            throw e;
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, out -> out.write(bytes));
    }

    /**
     * Writes {@code file} of {@code size} bytes through a channel (positional writes, from several
     * threads if the content likes), atomically as {@link #write}. The space is checked first: a
     * disk without {@code size} bytes free fails before any work is spent on the content.
     */
    public static void writeChannel(Path file, long size, ChannelContent content) throws IOException {
        Path dir = folder(file);
        WriteFaults.Fault fault = WriteFaults.forFile(file);
        long free = usableSpace(dir, fault);
        if (free < size) {
            throw new DiskFullException(file, size, free, null);
        }
        Path temp = temporary(dir, file);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                if (fault != null) {
                    fault.checkSpace(channel.size());
                    if (fault.mode() == WriteFaults.Mode.HALT_WRITING) {
                        channel.truncate(channel.size() / 2);
                        channel.force(true);
                        fault.halt(file);
                    }
                }
                channel.force(true);
            }
            finish(temp, file, fault);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            if (DiskFullException.isNoSpace(cause)) {
                throw cause instanceof DiskFullException full ? full
                        : new DiskFullException(file, size, usableSpace(dir, fault), cause);
            }
            throw e;
        }
    }

    /**
     * Deletes the temporary files that killed builds left under {@code root} (a build holding the
     * output folder's lock is the only writer there, so none is being written).
     *
     * @return the files deleted
     */
    public static List<Path> removeStale(Path root) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        // Deep enough for members/<name>/checkpoint/<file>; the output folder holds nothing deeper.
        try (Stream<Path> files = Files.walk(root, 4)) {
            for (Path file : files.filter(f -> TEMPORARY.matcher(f.getFileName().toString()).matches()
                    && Files.isRegularFile(f)).toList()) {
                Files.deleteIfExists(file);
                removed.add(file);
            }
        }
        return removed;
    }

    private static Path folder(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * A new, empty temporary file beside {@code file}. Created as any new file is (mode 0666 less
     * the user's umask, like the files Maven writes), not 0600 as {@link Files#createTempFile}
     * would, and never forced to another mode: a team's umask 002 or a private 077 is kept.
     */
    private static Path temporary(Path dir, Path file) throws IOException {
        while (true) {
            long digits = NAMES.nextLong(1_000_000_000L, Long.MAX_VALUE);
            Path temp = dir.resolve("." + file.getFileName() + "." + digits + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    private static void finish(Path temp, Path file, WriteFaults.Fault fault) throws IOException {
        if (fault != null && fault.mode() == WriteFaults.Mode.HALT_BEFORE_RENAME) {
            fault.halt(file);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(file.toAbsolutePath().getParent());
    }

    /**
     * Makes the rename durable: a power cut after {@link #write} returns could otherwise bring back
     * the old directory entry on some file systems (ext4 without auto_da_alloc, XFS). Linux and
     * macOS open a directory for reading; where that is refused (Windows) the rename is already
     * durable by the file system's journal and nothing more can be asked.
     */
    private static void syncFolder(Path dir) {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not possible here; see above
        }
    }

    /** The whole content's size, written again to nowhere; at least {@code written} if that fails. */
    private static long measure(Content content, long written) {
        Counting counter = new Counting(OutputStream.nullOutputStream(), null);
        try {
            content.writeTo(counter);
            return Math.max(written, counter.count);
        } catch (IOException | RuntimeException e) {
            return written;
        }
    }

    private static long usableSpace(Path dir, WriteFaults.Fault fault) {
        if (fault != null && fault.mode() == WriteFaults.Mode.DISK_FULL) {
            return fault.freeBytes();
        }
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Counts the bytes written through it; a simulated full disk fails here. */
    private static final class Counting extends FilterOutputStream {
        private final WriteFaults.Fault fault;
        long count;

        Counting(OutputStream out, WriteFaults.Fault fault) {
            super(out);
            this.fault = fault;
        }

        @Override
        public void write(int b) throws IOException {
            if (fault != null) {
                fault.checkSpace(count + 1);
            }
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fault != null && fault.mode() == WriteFaults.Mode.DISK_FULL && count + len > fault.freeBytes()) {
                int fits = (int) Math.max(0, fault.freeBytes() - count);
                out.write(b, off, fits); // the disk takes what fits, then fails
                count += fits;
                fault.checkSpace(count + 1);
            }
            out.write(b, off, len);
            count += len;
        }
    }
}
