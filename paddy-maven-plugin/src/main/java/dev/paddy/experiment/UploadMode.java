package dev.paddy.experiment;

/**
 * What this build lets {@code paddy:upload} do.
 *
 * @param dryRun  log what would be sent and send nothing ({@code -Dpaddy.dryRun})
 * @param offline Maven runs offline ({@code -o}): sending is refused, a dry run is not
 * @param batch   nobody watches the log (Maven's {@code -B}, as on CI): missing credentials fail the
 *                build instead of turning it into a dry run that passes green
 */
public record UploadMode(boolean dryRun, boolean offline, boolean batch) {}
