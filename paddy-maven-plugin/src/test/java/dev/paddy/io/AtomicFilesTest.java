package dev.paddy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paddy.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail leave the previous file and no temporary one; a full disk says what the file
 * needs and what is free; temporary files a killed build left are found and removed. (A kill
 * itself is KillTest's: the hook that halts a JVM cannot run in this one.)
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFault() {
        System.clearProperty(WriteFaults.PROPERTY);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskSaysWhatTheFileNeedsAndWhatIsFreeAndKeepsThePreviousVersion() throws IOException {
        Path file = dir.resolve("epoch-2.params");
        AtomicFiles.writeString(file, "previous");
        System.setProperty(WriteFaults.PROPERTY, "disk-full:**/epoch-2.params:4096");
        DiskFullException full = assertThrows(DiskFullException.class,
                () -> AtomicFiles.write(file, out -> out.write(new byte[10_000])));
        assertEquals(file + ": the disk is full: writing this file needs 9.8 KiB (10,000 bytes) and 4.0 KiB (4,096 bytes)"
                + " are free in " + dir + "; free at least 5.8 KiB (5,904 bytes) there (or set -Dpaddy.outputDirectory on a"
                + " larger disk) and run the build again. Nothing finished is lost: the file's previous version and every"
                + " earlier result are intact, and the next build carries on from them", full.getMessage());
        assertEquals("previous", Files.readString(file));
        assertEquals(List.of("epoch-2.params"), names(), "no temporary file is left");
        // Full, yet with room for the file once its part is gone: another writer, or a quota.
        assertEquals(file + ": the disk is full: writing this file needs 10 bytes and 20 bytes are free in " + dir
                + "; something else filled it meanwhile, or a quota applies: free space there (or set"
                + " -Dpaddy.outputDirectory on a larger disk) and run the build again. Nothing finished is lost: the"
                + " file's previous version and every earlier result are intact, and the next build carries on from them",
                new DiskFullException(file, 10, 20, null).getMessage());
    }

    @Test
    void aFullDiskForAChannelWriteIsSaidBeforeAnyWorkIsSpent() throws IOException {
        Path file = dir.resolve("items-abc.u8");
        System.setProperty(WriteFaults.PROPERTY, "disk-full:**/items-*.u8:100");
        DiskFullException full = assertThrows(DiskFullException.class,
                () -> AtomicFiles.writeChannel(file, 5000, channel -> {
                    throw new AssertionError("the content is not asked for");
                }));
        assertEquals(5000, full.needed());
        assertEquals(100, full.free());
        assertEquals(List.of(), names());
    }

    @Test
    void aWriteThatFailsLeavesThePreviousFileAndNoTemporaryOne() throws IOException {
        Path file = dir.resolve("training.json");
        AtomicFiles.writeString(file, "previous");
        IOException failure = new IOException("serialising failed");
        assertSame(failure, assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw failure;
        })));
        assertEquals("previous", Files.readString(file));
        assertEquals(List.of("training.json"), names());
        AtomicFiles.writeChannel(file, 4, channel -> channel.write(ByteBuffer.wrap("next".getBytes()), 0));
        assertEquals("next", Files.readString(file));
        assertEquals(List.of("training.json"), names());
    }

    @Test
    void temporaryFilesThatKilledBuildsLeftAreRemovedAndNothingElse() throws IOException {
        Path member = Files.createDirectories(dir.resolve("members/res/checkpoint"));
        List<Path> stale = List.of(member.resolve(".epoch-2.params.8123456789.tmp"),
                dir.resolve(".submission.csv.4242424242424242.tmp"));
        Files.createDirectories(dir.resolve("docs"));
        // A user's files, as -Dpaddy.outputDirectory=. puts them under the output folder: never paddy's to delete.
        List<Path> kept = List.of(member.resolve("epoch-1.params"), dir.resolve("submission.csv"), dir.resolve("notes.tmp"),
                dir.resolve(".lock"), dir.resolve("docs/draft2.tmp"), dir.resolve("model.params1234567.tmp"),
                dir.resolve(".backup.2.tmp"));
        for (Path file : Stream.concat(stale.stream(), kept.stream()).toList()) {
            Files.writeString(file, "x");
        }
        assertEquals(stale.stream().sorted().toList(), AtomicFiles.removeStale(dir).stream().sorted().toList());
        for (Path file : kept) {
            assertEquals("x", Files.readString(file), file + " kept");
        }
        assertEquals(List.of(), AtomicFiles.removeStale(dir.resolve("absent")));
    }

    @Test
    void theTemporaryFileOfAWriteIsOneThatRemoveStaleFinds() throws IOException {
        List<String> during = new java.util.ArrayList<>();
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(dir.resolve("model.params"), out -> {
            during.addAll(names());
            throw new IllegalStateException("a kill, as far as the temporary file knows");
        }));
        assertEquals(1, during.size(), "one temporary file while writing: " + during);
        assertEquals(List.of(), names(), "the failed write removed its temporary file");
        Path left = Files.writeString(dir.resolve(during.get(0)), "x"); // as a kill -9 would have left it
        assertEquals(List.of(left), AtomicFiles.removeStale(dir));
    }

    /**
     * A file paddy writes gets the mode of any new file under the user's umask: a child JVM runs
     * under umask 077 (private) and 002 (a team's group-writable folder), as a shell would start Maven.
     */
    @ChildJvm
    @Test
    void writtenFilesKeepTheUsersUmask() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
        for (String umask : List.of("077", "002")) {
            Path file = dir.resolve("written-" + umask);
            Process child = new ProcessBuilder("sh", "-c", "umask " + umask + " && exec \"$0\" -cp \"$1\" "
                    + AtomicWriteChild.class.getName() + " \"$2\"",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    System.getProperty("java.class.path"), file.toString()).inheritIO().start();
            assertEquals(0, child.waitFor());
            String expected = umask.equals("077") ? "rw-------" : "rw-rw-r--";
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "mode of a file written under umask " + umask);
        }
    }
}
