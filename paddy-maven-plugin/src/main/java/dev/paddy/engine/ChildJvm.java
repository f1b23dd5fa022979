package dev.paddy.engine;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How paddy starts a JVM of its own (a memory probe, a member's worker), as surefire forks its
 * tests: this JVM's Java, the plugin's own class path, this JVM's heap sizing unless the extra
 * options set one, DJL offline; and how such a JVM's exit is said to a user.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** {@code java <heap> <extra> -Dai.djl.offline=true -cp <class path> <main> <arguments>}. */
    public static List<String> command(List<String> extraOptions, Class<?> main, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options(extraOptions));
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(arguments);
        return command;
    }

    /** The child's JVM options: this JVM's heap sizing (see {@link #heapOptions}), then the extra ones. */
    public static List<String> options(List<String> extraOptions) {
        List<String> options = new ArrayList<>(heapOptions(extraOptions));
        options.addAll(extraOptions);
        return options;
    }

    /**
     * This JVM's heap sizing and pre-touch options (unless {@code extra} sets its own -Xmx), so the
     * child's Java heap behaves as this JVM's does; without an -Xmx here, its maximum.
     */
    static List<String> heapOptions(List<String> extra) {
        if (extra.stream().anyMatch(a -> a.startsWith("-Xmx"))) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-Xms") || argument.startsWith("-Xmx") || argument.equals("-XX:+AlwaysPreTouch")
                    || argument.matches("-XX:\\+Use\\w+GC")) {
                options.add(argument);
            }
        }
        if (options.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
            options.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m");
        }
        return options;
    }

    /** "killed (SIGKILL, exit 137: ...)", "killed by signal 11 (SIGSEGV)", "exit code 1". */
    public static String describeExit(int exit) {
        if (exit == 137) {
            return "killed (SIGKILL, exit 137: the kernel's out-of-memory killer, or a kill -9)";
        }
        if (exit == 134) {
            return "aborted (SIGABRT, exit 134: a crash in native code, or the JVM's own fatal error)";
        }
        if (exit > 128) {
            int signal = exit - 128;
            return "killed by signal " + signal + (signal == 11 ? " (SIGSEGV)" : signal == 15 ? " (SIGTERM)"
                    : signal == 6 ? " (SIGABRT)" : signal == 7 ? " (SIGBUS)" : "");
        }
        return "exit code " + exit;
    }

    /** The class path this code was loaded from: the plugin realm's jars in Maven, else java.class.path. */
    public static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = ChildJvm.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(new File(url.toURI()).getPath());
                        } catch (URISyntaxException e) {
                            entries.add(url.getPath());
                        }
                    }
                }
            }
        }
        // What Maven lends the plugin from its own core (SLF4J, which DJL logs through) is not among
        // the realm's URLs: add the jars those classes come from.
        for (String anchor : new String[] {"org.slf4j.LoggerFactory"}) {
            try {
                var source = Class.forName(anchor, false, ChildJvm.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                if (source != null && "file".equals(source.getLocation().getProtocol())) {
                    entries.add(new File(source.getLocation().toURI()).getPath());
                }
            } catch (ClassNotFoundException | URISyntaxException | SecurityException e) {
                // not visible here: the child does without it
            }
        }
        String system = System.getProperty("java.class.path", "");
        if (!system.isEmpty()) {
            entries.add(system);
        }
        return String.join(File.pathSeparator, entries);
    }
}
