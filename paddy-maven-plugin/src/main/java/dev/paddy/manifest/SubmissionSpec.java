package dev.paddy.manifest;

import java.util.Optional;

/**
 * The submission CSV: its file name under the output folder, and its label column's header
 * (empty: the sample submission's second column, else "label"); and where {@code paddy:upload}
 * sends it: the competition's slug (empty: the goal skips) and the submission's description
 * (empty: one built from the manifest's hash and the members' validation error rates).
 */
public record SubmissionSpec(String file, Optional<String> labelColumn, Optional<String> competition,
                             Optional<String> message) {}
