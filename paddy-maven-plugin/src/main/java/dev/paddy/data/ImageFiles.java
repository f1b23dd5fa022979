package dev.paddy.data;

import dev.paddy.io.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which files count as images, and sorted listings of them. An image is a file named with one of
 * {@link #EXTENSIONS} that is not hidden: names starting with '.' (macOS's {@code ._photo.jpg}
 * companions, {@code .DS_Store}) are skipped as fastai's {@code get_image_files} skips them. A
 * symbolic link counts if it leads to a file, or leads nowhere (a broken link, a loop): those are
 * listed so that decoding names them, rather than vanishing from the data set.
 */
public final class ImageFiles {
    /** The file endings read as images, in the order messages list them. */
    public static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif");
    private static final Set<String> LOOKUP = Set.copyOf(EXTENSIONS);
    /** Files the operating system leaves in folders, ignored without a word. */
    private static final Set<String> SYSTEM_FILES = Set.of("thumbs.db", "desktop.ini", "ehthumbs.db");
    /** Endings of image formats paddy does not read, named when such a file is ignored. */
    private static final Map<String, String> OTHER_FORMATS = Map.of("webp", "WebP", "tif", "TIFF", "tiff", "TIFF",
            "heic", "HEIC", "heif", "HEIF", "avif", "AVIF", "jp2", "JPEG 2000", "jxl", "JPEG XL", "svg", "SVG",
            "psd", "Photoshop");

    private ImageFiles() {}

    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && LOOKUP.contains(extension(name))
                && (Files.isRegularFile(file) || Files.isSymbolicLink(file) && !Files.exists(file));
    }

    /**
     * The files directly inside {@code folder} that are not images and not the system's own
     * (hidden files, {@code Thumbs.db}, {@code desktop.ini}): a build names them as ignored, so
     * that a {@code .webp} or {@code .tif} photo does not silently drop out of the data set.
     */
    public static List<Path> ignored(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return !isImage(f) && !Files.isDirectory(f) && !name.startsWith(".")
                        && !SYSTEM_FILES.contains(name.toLowerCase(Locale.ROOT));
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** An ignored file and, if its ending names an image format paddy does not read, what to do with it. */
    public static String describeIgnored(Path file) {
        String format = OTHER_FORMATS.get(extension(file.getFileName().toString()));
        String name = Printable.of(file.toString());
        return format == null ? name : name + " (" + format + ": convert it to PNG or JPEG to use it)";
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** The images directly inside {@code folder}, sorted by file name. */
    public static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(ImageFiles::isImage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /**
     * The images in {@code folder} and its sub-folders, sorted by {@link #relativeId}: hidden
     * folders (a name starting with '.') are not entered, nor symbolic links to folders (no loops).
     */
    public static List<Path> walk(Path folder) {
        return under(folder).filter(ImageFiles::isImage)
                .sorted(java.util.Comparator.comparing(f -> relativeId(folder, f))).toList();
    }

    /** As {@link #ignored}, for {@code folder} and its sub-folders as {@link #walk} enters them. */
    public static List<Path> ignoredUnder(Path folder) {
        return under(folder).filter(f -> {
            String name = f.getFileName().toString();
            return !isImage(f) && !Files.isDirectory(f) && !name.startsWith(".")
                    && !SYSTEM_FILES.contains(name.toLowerCase(Locale.ROOT));
        }).sorted(java.util.Comparator.comparing(f -> relativeId(folder, f))).toList();
    }

    /** The entries under {@code folder}, outside hidden folders, symbolic links to folders not followed. */
    private static Stream<Path> under(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(f -> !f.equals(folder) && !hiddenFolderIn(folder.relativize(f).getParent()))
                    .toList().stream();
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot list " + folder, e instanceof IOException io ? io
                    : ((UncheckedIOException) e).getCause());
        }
    }

    private static boolean hiddenFolderIn(Path folders) {
        if (folders == null) {
            return false;
        }
        for (Path part : folders) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A file's id under {@code folder}: its path below it with '/' between folders
     * ({@code "blast/100330.jpg"}); for a file directly inside, its name, as {@link #id}.
     */
    public static String relativeId(Path folder, Path file) {
        StringBuilder id = new StringBuilder();
        for (Path part : folder.relativize(file)) {
            id.append(id.isEmpty() ? "" : "/").append(part);
        }
        return id.toString();
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
