package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.data.TargetLabels;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.Manifest;
import dev.paddy.manifest.MemberSpec;
import java.util.List;
import java.util.Map;

/**
 * What every stage of one opened experiment reads: the validated manifest, the scanned data, the
 * output folder's layout, the members' keys, the decoded items, the log and the worker count,
 * and the labels of the targets after the folder label that members name, by name.
 */
record StageContext(Manifest manifest, PaddyData data, OutputLayout layout, Keys keys, ItemCache items,
                    ExperimentLog log, int threads, Map<String, TargetLabels> targets) {

    /** The member's targets after the folder label, in its order (none for most members). */
    List<TargetLabels> moreTargets(MemberSpec member) {
        return member.training().moreTargets().stream().map(targets::get).toList();
    }

    /** Each of the member's targets' number of classes, the folder label's first: its head's slices. */
    int[] targetClasses(MemberSpec member) {
        List<TargetLabels> more = moreTargets(member);
        int[] classes = new int[1 + more.size()];
        classes[0] = data.vocabulary().size();
        for (int t = 0; t < more.size(); t++) {
            classes[t + 1] = more.get(t).vocabulary().size();
        }
        return classes;
    }
}
