package dev.paddy.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Which files count as images, and sorted listings of them. */
public final class ImageFiles {
    /** The file endings read as images, in the order messages list them. */
    public static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif");
    private static final Set<String> LOOKUP = Set.copyOf(EXTENSIONS);

    private ImageFiles() {}

    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && LOOKUP.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(file);
    }

    /** The images directly inside {@code folder}, sorted by file name. */
    public static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(ImageFiles::isImage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** The sub-folders of {@code folder}, sorted by name: in the Paddy layout, the classes. */
    public static List<Path> subfolders(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** The image id of a file: its whole name, as in Paddy's sample submission ("100330.jpg"). */
    public static String id(Path file) {
        return file.getFileName().toString();
    }
}
