package dev.paddy.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A stage's native work for one member (for {@link Task#CHECK_WEIGHTS}, for several), as a worker
 * JVM is asked to do it: the member resolves in the worker from the same manifest and files, and
 * must come to the {@code key} the build resolved it to.
 *
 * @param key the training key (TRAIN, CHECK_WEIGHTS: the first member's), the lr finder's key, or the
 *     TTA key (TTA, PREDICT)
 * @param folder the folder of images to classify (PREDICT), else null
 */
record WorkerJob(Task task, List<String> members, String key, String folder) {
    /** What a worker does. */
    enum Task {
        CHECK_WEIGHTS("checking the initial weights"),
        LR_FIND("running the lr finder"),
        TRAIN("training"),
        TTA("predicting the test images (TTA)"),
        PREDICT("predicting a folder's images (TTA)");

        private final String doing;

        Task(String doing) {
            this.doing = doing;
        }

        /** "training", as in "its worker died while training". */
        String doing() {
            return doing;
        }

        /** "lr-find", as in the worker's file names. */
        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    WorkerJob {
        members = List.copyOf(members);
    }

    static WorkerJob of(Task task, String member, String key) {
        return new WorkerJob(task, List.of(member), key, null);
    }

    /** For PREDICT: the member's TTA of {@code folder}'s images. */
    static WorkerJob predict(String member, String ttaKey, Path folder) {
        return new WorkerJob(Task.PREDICT, List.of(member), ttaKey, folder.toString());
    }

    /** For CHECK_WEIGHTS: the members whose weights one worker loads. */
    static WorkerJob check(List<String> members, String key) {
        return new WorkerJob(Task.CHECK_WEIGHTS, members, key, null);
    }

    /** The member the job is about (the first, for a check of several). */
    String member() {
        return members.get(0);
    }

    /** "resnet18-a.train": names the worker's request, output and crash log. */
    String fileStem() {
        return task == Task.CHECK_WEIGHTS ? task.id() : member() + "." + task.id();
    }
}
