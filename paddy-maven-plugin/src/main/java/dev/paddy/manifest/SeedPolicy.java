package dev.paddy.manifest;

import java.util.OptionalLong;

/**
 * How each member's seed is chosen. {@code random} draws a fresh seed per member the first time
 * it trains and records it, so the run can be repeated; a number derives a distinct seed per
 * member from it, so a clean machine reproduces the same splits and weights.
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
