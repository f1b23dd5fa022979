package dev.paddy.train;

/** Hears the progress of training, as fastai's callbacks or DJL's TrainingListener do. */
public interface TrainingListener {

    /** The end of an epoch, after validation. */
    void onEpoch(EpochReport report);

    /** Progress within a long epoch, at most every few seconds. */
    default void onProgress(String member, int epoch, int epochs, int imagesDone, int images, double imagesPerSecond) {}

    /** Something the log should say about this member's training (a resume, an ignored checkpoint). */
    default void onNote(String member, String message) {}

    /** Something wrong the log should warn about (a damaged checkpoint, not used); a note by default. */
    default void onWarning(String member, String message) {
        onNote(member, message);
    }

    /** An epoch's metrics, with where it stands in the member's training and the time still to go. */
    record EpochReport(String member, int epoch, int epochs, EpochMetrics metrics, double etaSeconds) {}
}
