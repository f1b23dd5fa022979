package dev.paddy.io;

import java.nio.file.Path;

/** Writes one file through {@link AtomicFiles} in a JVM of its own, started under a chosen umask by AtomicFilesTest. */
public final class AtomicWriteChild {
    private AtomicWriteChild() {}

    public static void main(String[] args) throws Exception {
        AtomicFiles.writeString(Path.of(args[0]), "written\n");
    }
}
