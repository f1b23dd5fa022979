package dev.paddy.experiment;

/**
 * Something a stage did that the log says and a test can observe as a value: the log's line is
 * {@link #text()}, a warning when {@link #warning()}. {@link ExperimentLog#event} hears each.
 */
public sealed interface StageEvent {

    String text();

    /** Whether the log says it as a warning. */
    boolean warning();

    /**
     * {@code stage} runs for {@code member} because of {@code why}: "res: trains (new)", "res: TTA
     * runs (config changed: tta.n 2 -> 3)". A damaged file is a warning: it is never used.
     */
    record Runs(StageId stage, String member, Reason why) implements StageEvent {
        @Override
        public String text() {
            return member + (stage == StageId.TRAIN ? ": trains (" : ": " + stage.id().toUpperCase(java.util.Locale.ROOT)
                    + " runs (") + why.text() + ")";
        }

        @Override
        public boolean warning() {
            return why instanceof Reason.Damaged;
        }
    }
}
