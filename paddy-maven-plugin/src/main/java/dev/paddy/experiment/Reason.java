package dev.paddy.experiment;

import java.nio.file.Path;

/**
 * Why a stage ran for a member, or where its cached result came from: a value tests and stages
 * act on (a damaged file is deleted by its path), whose {@link #text()} is what the log and the
 * report say.
 */
public sealed interface Reason {

    /** The words of the log line and the report. */
    String text();

    /** Nothing was ever computed for the member. */
    record New() implements Reason {
        @Override
        public String text() {
            return "new";
        }
    }

    /** A killed build left a checkpoint: the member resumes. */
    record Interrupted() implements Reason {
        @Override
        public String text() {
            return "interrupted before its end: a checkpoint is there";
        }
    }

    /** The inputs that moved its key since the result on disk, as {@link WhyRuns} words them. */
    record Changed(String diff) implements Reason {
        @Override
        public String text() {
            return diff;
        }
    }

    /** {@code file} ({@code what}: "training record", "weights file") fails its checks; it is never used. */
    record Damaged(Path file, String what, String detail) implements Reason {
        @Override
        public String text() {
            return what + " damaged: " + detail;
        }
    }

    /** The weights file its record names is not there. */
    record Missing(Path file) implements Reason {
        @Override
        public String text() {
            return "weights file missing (" + file + ")";
        }
    }

    /** Its record has no checksum of its weights to check them against. */
    record Unverified() implements Reason {
        @Override
        public String text() {
            return "no checksum recorded for its weights (an older paddy trained it)";
        }
    }

    /** The goal was told to run again ({@code -Dpaddy.lrFind.force}, {@code -Dpaddy.probe.force}). */
    record Forced() implements Reason {
        @Override
        public String text() {
            return "forced";
        }
    }

    /** The stage's result for the member's current configuration ({@code what}: "plan", "curve") is not on disk. */
    record NotComputed(String what) implements Reason {
        @Override
        public String text() {
            return "no " + what + " for its current configuration";
        }
    }

    /** The result was at hand ({@code text} says which: "weights for key 3f2a...", a shared source). */
    record Kept(String text) implements Reason {}
}
