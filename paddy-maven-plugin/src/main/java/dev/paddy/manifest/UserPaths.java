package dev.paddy.manifest;

import dev.paddy.data.ImageFiles;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Paths the user writes in the manifest (data folders, {@code weights:}). They may point anywhere,
 * relative to the manifest's folder or absolute; one that is missing, of the wrong kind or
 * unreadable is reported under its key with the absolute path it was resolved to.
 */
final class UserPaths {
    private UserPaths() {}

    /** The existing folder ({@code folder}) or regular file at {@code key}, or null after reporting why not. */
    static Path existing(Section section, String key, Path base, boolean folder) {
        String value = section.string(key, null);
        if (value == null) {
            return null;
        }
        Path path;
        try {
            path = base.resolve(value).normalize();
        } catch (InvalidPathException e) {
            section.problem(key, "'" + value + "' is not a path: " + e.getReason());
            return null;
        }
        String expected = folder ? "folder" : "file";
        if (folder ? Files.isDirectory(path) : Files.isRegularFile(path)) {
            return path;
        }
        if (Files.isDirectory(path)) {
            section.problem(key, path + " is a folder; expected a file");
        } else if (Files.exists(path)) {
            section.problem(key, path + " is a file; expected a folder");
        } else {
            section.problem(key, expected + " not found: " + path
                    + (Path.of(value).isAbsolute() ? "" : " (relative to the manifest's folder)")
                    + (value.startsWith("~") ? "; '~' is not expanded: write the full path" : "; create it or correct the path"));
        }
        return null;
    }

    /** {@code list(folder)}, or null after reporting under {@code key} that the folder cannot be read. */
    static List<Path> listed(Section section, String key, Path folder, Function<Path, List<Path>> list) {
        try {
            return list.apply(folder);
        } catch (UncheckedIOException e) {
            section.problem(key, "cannot read the folder " + folder + ": "
                    + (e.getCause() instanceof AccessDeniedException ? "permission denied; make it readable (chmod u+rx)"
                    : e.getCause().toString()));
            return null;
        }
    }

    static List<Path> images(Section section, String key, Path folder) {
        return listed(section, key, folder, ImageFiles::list);
    }

    static List<Path> subfolders(Section section, String key, Path folder) {
        return listed(section, key, folder, ImageFiles::subfolders);
    }
}
