package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.data.TargetLabels;
import dev.paddy.io.MachineCache;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.MemberSpec;
import dev.paddy.train.Target;
import dev.paddy.train.Targets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every stage of one opened experiment reads: the validated manifest, the scanned data, the
 * output folder's layout, the machine cache beyond it, the members' keys, the decoded items, the log,
 * the count of threads that decode and augment images, and the labels of the targets after the
 * folder label that members name, by name.
 */
record StageContext(Manifest manifest, PaddyData data, OutputLayout layout, MachineCache cache, Keys keys, ItemCache items,
                    ExperimentLog log, int threads, Map<String, TargetLabels> targets) {

    /** The labels of each of the member's targets, the folder label's first ({@link Targets#FOLDER_LABEL}). */
    List<TargetLabels> targetLabels(MemberSpec member) {
        List<TargetLabels> all = new ArrayList<>();
        all.add(new TargetLabels(Targets.FOLDER_LABEL, data.vocabulary(), data.trainLabels()));
        member.training().moreTargets().forEach(name -> all.add(targets.get(name)));
        return all;
    }

    /** The member's targets: its head's slices. */
    Targets targetsOf(MemberSpec member) {
        return new Targets(targetLabels(member).stream().map(t -> new Target(t.name(), t.vocabulary().size())).toList());
    }
}
