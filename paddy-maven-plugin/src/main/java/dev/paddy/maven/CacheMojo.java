package dev.paddy.maven;

import dev.paddy.io.MachineCache;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows the machine cache (where it is, and per kind its entries, size and last use), and prunes
 * it when {@code paddy.cache.maxAge} or {@code paddy.cache.maxSize} is given: entries not used for
 * longer than the age go, then the least recently used until the cache fits the size. Needs no
 * project: {@code mvn dev.paddy:paddy-maven-plugin:cache -Dpaddy.cache.maxSize=20G} works anywhere.
 */
@Mojo(name = "cache", requiresProject = false, threadSafe = true)
public class CacheMojo extends AbstractMojo {
    /** The machine cache: empty for the user's cache folder, {@code off} for none, or a folder. */
    @Parameter(property = "paddy.cache", defaultValue = "")
    protected String cache;

    /** Prunes entries not used for this long: {@code 30d}, {@code 12h}, or an ISO-8601 duration ({@code P30D}). */
    @Parameter(property = "paddy.cache.maxAge")
    protected String maxAge;

    /** Prunes the least recently used entries until the cache takes at most this: {@code 20G}, {@code 500M}, bytes. */
    @Parameter(property = "paddy.cache.maxSize")
    protected String maxSize;

    @Parameter(defaultValue = "${basedir}", readonly = true)
    protected File basedir;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        MachineCache machineCache = CacheLocation.of(cache, basedir != null ? basedir : new File("."), getLog()::warn);
        if (!machineCache.isOn()) {
            getLog().info("paddy:cache: the machine cache is off (paddy.cache=off)");
            return;
        }
        Optional<Duration> age;
        Optional<Long> size;
        try {
            age = Optional.ofNullable(maxAge).filter(s -> !s.isBlank()).map(CacheMojo::duration);
            size = Optional.ofNullable(maxSize).filter(s -> !s.isBlank()).map(CacheMojo::bytes);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("paddy:cache: " + e.getMessage());
        }
        try {
            getLog().info("paddy:cache: " + machineCache);
            print(machineCache.usage());
            if (age.isPresent() || size.isPresent()) {
                MachineCache.Pruned pruned = machineCache.prune(age, size, Instant.now());
                getLog().info(String.format(Locale.ROOT, "pruned %d entries, %s freed (%s%s%s)", pruned.entries(),
                        human(pruned.bytes()), age.map(a -> "unused for more than " + maxAge.trim()).orElse(""),
                        age.isPresent() && size.isPresent() ? ", then " : "",
                        size.map(s -> "least recently used beyond " + maxSize.trim()).orElse("")));
                print(machineCache.usage());
            }
        } catch (IOException e) {
            throw new MojoExecutionException("paddy:cache: cannot read " + machineCache + ": " + e.getMessage(), e);
        }
    }

    private void print(List<MachineCache.Usage> usage) {
        if (usage.isEmpty()) {
            getLog().info("  empty");
            return;
        }
        getLog().info(String.format(Locale.ROOT, "  %-12s %8s %10s  %-20s %-20s", "kind", "entries", "size", "oldest use",
                "newest use"));
        long total = 0;
        for (MachineCache.Usage u : usage) {
            total += u.bytes();
            getLog().info(String.format(Locale.ROOT, "  %-12s %8d %10s  %-20s %-20s", u.kind(), u.entries(), human(u.bytes()),
                    u.oldest().map(CacheMojo::day).orElse("-"), u.newest().map(CacheMojo::day).orElse("-")));
        }
        getLog().info(String.format(Locale.ROOT, "  %-12s %8s %10s", "total", "", human(total)));
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 16).replace('T', ' ');
    }

    /** {@code 30d}, {@code 12h}, {@code 45m}, or ISO-8601 ({@code P30D}, {@code PT12H}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[dhm]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
            }
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("paddy.cache.maxAge '" + text + "' is not an age: write 30d, 12h, 45m or"
                    + " an ISO-8601 duration such as P30D");
        }
    }

    /** {@code 20G}, {@code 500M}, {@code 64K} (powers of 1024, an optional trailing B or iB), or bytes. */
    static long bytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        if (!t.matches("\\d+[KMGT]?")) {
            throw new IllegalArgumentException("paddy.cache.maxSize '" + text + "' is not a size: write 20G, 500M, 64K"
                    + " or a number of bytes");
        }
        char unit = t.charAt(t.length() - 1);
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        return Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1)) << shift;
    }

    static String human(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : bytes >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
