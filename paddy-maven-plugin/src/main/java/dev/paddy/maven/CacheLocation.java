package dev.paddy.maven;

import dev.paddy.io.MachineCache;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The machine cache that {@code paddy.cache} names: empty for the user's cache folder
 * ({@link MachineCache#defaultRoot}), {@code off} for none, else a folder (relative to the project).
 */
final class CacheLocation {
    static final String OFF = "off";

    private CacheLocation() {}

    static MachineCache of(String setting, File basedir, Consumer<String> warnings) {
        if (setting != null && setting.trim().toLowerCase(Locale.ROOT).equals(OFF)) {
            return MachineCache.OFF;
        }
        Path root = setting == null || setting.isBlank()
                ? MachineCache.defaultRoot(System.getenv(), System.getProperty("os.name"), Path.of(System.getProperty("user.home")))
                : basedir.toPath().resolve(setting.trim());
        return new MachineCache(root, warnings);
    }
}
