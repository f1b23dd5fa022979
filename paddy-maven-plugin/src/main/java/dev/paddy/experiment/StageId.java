package dev.paddy.experiment;

import java.util.List;

/**
 * The stages of the recipe, in order, each with the goal that runs it and the stages whose
 * results it needs: the one place that says what comes before what. The report lists stage runs
 * in this order; a stage's file under {@code stages/} is named by {@link #id()}.
 */
public enum StageId {
    PROBE_MEMORY("probe-memory"),
    LR_FIND("lr-find", PROBE_MEMORY),
    TRAIN("train", PROBE_MEMORY, LR_FIND),
    TTA("tta", TRAIN),
    ENSEMBLE("ensemble", TTA),
    SUBMIT("submit", ENSEMBLE),
    EXPORT("export", TRAIN),
    REPORT("report"),
    UPLOAD("upload", SUBMIT),
    /** Not a step of the recipe: classifies a folder of new images with the trained members, on demand. */
    PREDICT("predict", TRAIN);

    private final String id;
    private final List<StageId> requires;

    StageId(String id, StageId... requires) {
        this.id = id;
        this.requires = List.of(requires);
    }

    /** The goal's name and the stage's name in files and in the report: {@code lr-find}. */
    public String id() {
        return id;
    }

    /** The stages whose results this one reads directly. */
    public List<StageId> requires() {
        return requires;
    }

    /** Whether this stage reads {@code earlier}'s result, directly or through the stages it needs. */
    public boolean needs(StageId earlier) {
        return requires.stream().anyMatch(r -> r == earlier || r.needs(earlier));
    }

    /**
     * This stage's failure when {@code member} lacks the result of {@code needed} ({@code what}),
     * naming the goal that makes it; a stage that does not declare {@code needed} is a bug, said
     * as such.
     */
    ExperimentException missing(StageId needed, String member, String what) {
        if (!needs(needed)) {
            throw new IllegalStateException("stage " + this + " reads " + needed + "'s result but does not declare it");
        }
        return new ExperimentException("member '" + member + "' has no " + what + " for its current configuration,"
                + " which paddy:" + id + " needs; run 'mvn paddy:" + needed.id + "' (or 'mvn package') first");
    }

    @Override
    public String toString() {
        return id;
    }
}
