package dev.paddy.manifest;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the data lives, in the Paddy layout: {@code train/<label>/*.jpg}, {@code test/*.jpg} and
 * a sample submission whose first column is the image id. {@code testLabels} (image_id,label) is
 * optional; when present the ensemble's test accuracy is printed like a leaderboard score.
 * {@code labels} (optional, Paddy's {@code train.csv}: image_id,label,variety,age) holds the
 * columns that members' {@code targets} beyond the folder label name.
 */
public record DataSpec(Path train, Path test, Path sampleSubmission, Optional<Path> testLabels, double validPct,
                       Optional<Path> labels) {}
