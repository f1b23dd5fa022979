package dev.paddy.manifest;

/** The submission CSV: its file name under the output folder and its label column's header. */
public record SubmissionSpec(String file, String labelColumn) {}
