package dev.paddy.experiment;

import dev.paddy.io.AtomicFiles;
import dev.paddy.io.Hashing;
import dev.paddy.manifest.SeedPolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * Each member's seed. A fixed policy derives a distinct seed per member from the base; a random
 * policy draws one the first time a member is seen and records it in {@code seeds.properties},
 * so the member's split and weights can be repeated (and its cached results stay valid).
 */
public final class Seeds {
    /** Hex digits of a hash that make a derived seed: 15 fit a positive long. */
    private static final int HEX_DIGITS_OF_A_SEED = 15;

    private final Path file;
    private final Properties recorded = new Properties();

    public Seeds(Path file) throws IOException {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                recorded.load(in);
            }
        }
    }

    public synchronized long seedFor(String member, SeedPolicy policy) throws IOException {
        if (policy.base().isPresent()) {
            String hex = Hashing.sha256(policy.base().getAsLong() + ":" + member).substring(0, HEX_DIGITS_OF_A_SEED);
            return Long.parseLong(hex, 16);
        }
        String known = recorded.getProperty(member);
        if (known != null) {
            return Long.parseLong(known);
        }
        long drawn = new SecureRandom().nextLong() & Long.MAX_VALUE;
        recorded.setProperty(member, Long.toString(drawn));
        AtomicFiles.write(file, out -> {
            Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            recorded.store(writer, "paddy: seeds drawn for members with seed: random (delete a line to draw anew)");
            writer.flush();
        });
        return drawn;
    }
}
