package dev.paddy.experiment;

import dev.paddy.engine.Numerics;
import dev.paddy.manifest.MemberSpec;
import java.io.IOException;
import java.util.List;

/**
 * Where the stages' native work for each member runs (the lr finder, training, TTA): in a worker
 * JVM per member ({@link WorkerProcesses}, what a build does), or in this JVM ({@link InProcess}:
 * the worker itself, and tests of the stages).
 */
interface MemberRunner {
    /** A member's work: what a worker is asked ({@code work}), with which numerics, and the same work done here. */
    record Job(WorkerJob work, Numerics numerics, Here here) {
        /** {@code member}'s {@code task} for {@code key}, with the member's numerics. */
        static Job of(WorkerJob.Task task, MemberSpec member, String key, Here here) {
            return new Job(WorkerJob.of(task, member.name(), key), member.training().numerics(), here);
        }
    }

    /** The work done in this JVM. */
    @FunctionalInterface
    interface Here {
        void run() throws ExperimentException, IOException;
    }

    /**
     * Runs every job. In this JVM the first failure ends the run; in workers each member's failure
     * is its own: the others go on, and then every failure is said in one exception.
     */
    void run(List<Job> jobs) throws ExperimentException, IOException;

    /** Runs the jobs one after the other in this JVM, with its numerics. */
    final class InProcess implements MemberRunner {
        private final ExperimentLog log;
        private boolean warned;

        InProcess(ExperimentLog log) {
            this.log = log;
        }

        @Override
        public void run(List<Job> jobs) throws ExperimentException, IOException {
            for (Job job : jobs) {
                if (job.numerics() == Numerics.PORTABLE && !Numerics.PORTABLE.pinnedHere() && !warned) {
                    warned = true;
                    log.warn("member '" + job.work().member() + "': numerics: portable pins libtorch before it loads,"
                            + " which only a worker JVM can do; in this JVM it computes with the machine's numerics");
                }
                job.here().run();
            }
        }
    }
}
