package dev.paddy.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenCV's native library, loaded once (on first use) from the jar, extracted once into a cache
 * folder ({@code ~/.paddy/opencv/<version>/}, as DJL caches libtorch) rather than with OpenPnP's
 * {@code loadLocally()}, whose shutdown hook deletes a temporary copy after Maven has closed the
 * plugin's class loader (a stack trace after every build, and a leaked folder). Where it does not
 * load, {@link #failure()} says why and {@link Decoder} decodes with ImageIO.
 */
final class OpenCv {
    private static final String LIBRARY = "libopencv_java490.so";
    private static final String VERSION_FOLDER = "4.9.0-0";
    /** Why the library did not load; null when it did. */
    private static final String FAILURE = load();

    private OpenCv() {}

    /** Whether OpenCV's native library is loaded and its decoder can be used. */
    static boolean loaded() {
        return FAILURE == null;
    }

    /** Why OpenCV did not load (another platform, no library in the jar, a load error); empty when it did. */
    static Optional<String> failure() {
        return Optional.ofNullable(FAILURE);
    }

    /** OpenCV's version ("4.9.0"); only once {@link #loaded()}. */
    static String version() {
        return org.opencv.core.Core.VERSION;
    }

    /** Loads the library; null when loaded, else the reason it did not. */
    private static String load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "paddy loads OpenCV on Linux x86-64 only, not on " + os + " " + arch; // decoded with ImageIO
        }
        String resource = "/nu/pattern/opencv/linux/x86_64/" + LIBRARY;
        try (var in = OpenCv.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "the plugin's class path has no " + resource;
            }
            Path dir = Path.of(System.getProperty("user.home"), ".paddy", "opencv", VERSION_FOLDER);
            Path target = dir.resolve(LIBRARY);
            if (!Files.isRegularFile(target)) {
                Files.createDirectories(dir);
                Path temp = Files.createTempFile(dir, LIBRARY, ".tmp");
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.load(target.toString());
            return null;
        } catch (Throwable e) {
            return "loading " + LIBRARY + " failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
    }
}
