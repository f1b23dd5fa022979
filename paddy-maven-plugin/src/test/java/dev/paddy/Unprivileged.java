package dev.paddy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a test's main class as a user who cannot read a file the test locked, also when the tests
 * run as root (CI does), who reads every file whatever its permissions. There the locked file is
 * given to {@code nobody} (uid 65534) and the class runs in a JVM that is root only in a user
 * namespace of its own ({@code unshare -r}): root's right to read any file does not reach a file
 * whose owner that namespace does not map. As another user, the JVM simply runs.
 */
public final class Unprivileged {
    private static final int NOBODY = 65534;

    private Unprivileged() {}

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Why locked files cannot be made unreadable here; null when they can. */
    public static String unavailable() throws IOException, InterruptedException {
        if (!root()) {
            return null;
        }
        Process probe = new ProcessBuilder("unshare", "-r", "true").redirectErrorStream(true).start();
        String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return probe.waitFor() == 0 ? null
                : "the tests run as root and this machine allows no user namespace ('unshare -r true': " + said + ")";
    }

    /** Makes {@code path} unreadable to {@link #run}'s JVM: {@code permissions} ("---------"), and as root owned by nobody. */
    public static void lock(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        if (root()) {
            Files.setAttribute(path, "unix:uid", NOBODY);
        }
    }

    /** Runs {@code main} with {@code args} on this test's class path; its standard output's lines. */
    public static List<String> run(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("unshare", "-r"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        int status = child.waitFor();
        if (status != 0) {
            throw new AssertionError(main.getSimpleName() + " exited with " + status + ": " + lines);
        }
        return lines;
    }
}
