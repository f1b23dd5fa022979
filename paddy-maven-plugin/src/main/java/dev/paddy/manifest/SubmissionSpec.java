package dev.paddy.manifest;

import java.util.Optional;

/**
 * The submission CSV: its file name under the output folder, and its label column's header
 * (empty: the sample submission's second column, else "label").
 */
public record SubmissionSpec(String file, Optional<String> labelColumn) {}
