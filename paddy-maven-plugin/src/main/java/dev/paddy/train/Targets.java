package dev.paddy.train;

import java.util.ArrayList;
import java.util.List;

/**
 * What a member predicts: target 0 the folder label, then any columns of the labels CSV it names
 * (fast.ai's multi-target model). Each target is a slice of the head's outputs, in this order.
 */
public record Targets(List<Target> list) {
    /** Target 0's name: the class folder an image is in. */
    public static final String FOLDER_LABEL = "label";

    public Targets {
        list = List.copyOf(list);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a member predicts at least its folder label");
        }
    }

    /** The folder label of {@code classes} classes, then {@code more}. */
    public static Targets folderLabel(int classes, List<Target> more) {
        List<Target> all = new ArrayList<>();
        all.add(new Target(FOLDER_LABEL, classes));
        all.addAll(more);
        return new Targets(all);
    }

    /** The folder label alone. */
    public static Targets folderLabel(int classes) {
        return folderLabel(classes, List.of());
    }

    public int count() {
        return list.size();
    }

    public Target get(int target) {
        return list.get(target);
    }

    /** Each target's number of classes: the widths of the head's slices. */
    public int[] classes() {
        return list.stream().mapToInt(Target::classes).toArray();
    }
}
