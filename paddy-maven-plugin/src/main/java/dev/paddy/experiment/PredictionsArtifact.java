package dev.paddy.experiment;

import java.nio.file.Path;

/**
 * A member's predictions held locally for its current configuration, for publishing, with its
 * training record when one is at hand (null otherwise).
 */
public record PredictionsArtifact(String member, String key, Path file, Path trainingRecord) {}
