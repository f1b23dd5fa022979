package dev.paddy.manifest;

import java.util.OptionalLong;

/**
 * How each member's seed is chosen. A number (0 by default) derives a distinct seed per member
 * from it and the member's name, so a clean machine, and every runner of a team, reproduces the
 * same splits, weights and keys; {@code random} draws a fresh seed per member the first time it
 * trains and records it in the output folder, so that checkout can repeat its run.
 */
public record SeedPolicy(OptionalLong base) {
    public static SeedPolicy random() {
        return new SeedPolicy(OptionalLong.empty());
    }

    public static SeedPolicy fixed(long base) {
        return new SeedPolicy(OptionalLong.of(base));
    }

    @Override
    public String toString() {
        return base.isPresent() ? Long.toString(base.getAsLong()) : "random";
    }
}
