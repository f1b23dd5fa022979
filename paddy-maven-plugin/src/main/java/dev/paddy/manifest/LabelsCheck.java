package dev.paddy.manifest;

import dev.paddy.data.DataException;
import dev.paddy.data.ImageFiles;
import dev.paddy.data.LabelsCsv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the targets beyond the folder label against {@code data.labels} before any work starts:
 * the CSV is there, every target named is one of its columns, and every training image has a row
 * with a value in each of those columns. A target is reported where the manifest names it; the
 * rows at {@code data.labels}.
 */
final class LabelsCheck {
    /** Images named in a message before "and N more". */
    static final int SHOWN = 5;

    private LabelsCheck() {}

    /**
     * @param declared the sections (defaults, members) that set {@code targets}, with what they set
     * @param members every member read, with its targets resolved
     */
    static void check(Section data, DataSpec spec, Map<Section, List<String>> declared, List<MemberSpec> members) {
        Set<String> used = new LinkedHashSet<>();
        for (MemberSpec member : members) {
            used.addAll(member.training().moreTargets());
        }
        if (used.isEmpty()) {
            return;
        }
        if (spec.labels().isEmpty()) {
            if (!data.has("labels")) { // else its problem is already reported
                for (Map.Entry<Section, List<String>> entry : declared.entrySet()) {
                    if (entry.getValue().size() > 1) {
                        entry.getKey().problem("targets", "targets after '" + TrainingSpec.LABEL + "' are columns of a"
                                + " labels CSV; add it as data.labels (e.g. 'labels: data/train.csv' with the header"
                                + " image_id,label,variety,age)");
                    }
                }
            }
            return;
        }
        LabelsCsv csv;
        try {
            csv = LabelsCsv.read(spec.labels().get());
        } catch (DataException e) {
            data.problem("labels", String.join("; ", e.problems()));
            return;
        }
        List<String> columns = csv.columns().subList(1, csv.columns().size());
        Set<String> found = new LinkedHashSet<>();
        for (Map.Entry<Section, List<String>> entry : declared.entrySet()) {
            for (String target : entry.getValue().subList(1, entry.getValue().size())) {
                if (columns.contains(target)) {
                    found.add(target);
                } else {
                    entry.getKey().problem("targets", "no column '" + target + "' in " + csv.file()
                            + Problems.didYouMean(target, columns) + "; its columns after the image id: "
                            + String.join(", ", columns));
                }
            }
        }
        for (String duplicate : csv.duplicates()) {
            data.problem("labels", csv.file() + ": " + duplicate + "; keep one row per image");
        }
        if (spec.train() != null) {
            checkRows(data, csv, trainingImages(spec.train()), found);
        }
    }

    /** Every training image has a row, and a value in each target's column. */
    private static void checkRows(Section data, LabelsCsv csv, List<Path> images, Set<String> targets) {
        List<String> missing = new ArrayList<>();
        for (Path image : images) {
            if (!csv.has(ImageFiles.id(image))) {
                missing.add(image.getParent().getFileName() + "/" + ImageFiles.id(image));
            }
        }
        if (!missing.isEmpty()) {
            data.problem("labels", missing.size() + " training image(s) have no row in " + csv.file() + ": "
                    + shown(missing) + "; add a row (" + csv.columns().get(0) + " = the file name) for each");
        }
        for (String target : targets) {
            List<String> empty = new ArrayList<>();
            for (Path image : images) {
                String id = ImageFiles.id(image);
                if (csv.has(id) && csv.value(id, target).isEmpty()) {
                    empty.add(id + " (line " + csv.line(id) + ")");
                }
            }
            if (!empty.isEmpty()) {
                data.problem("labels", empty.size() + " training image(s) have no '" + target + "' in " + csv.file()
                        + ": " + shown(empty) + "; every training image needs a value for each target");
            }
        }
    }

    private static List<Path> trainingImages(Path train) {
        List<Path> images = new ArrayList<>();
        for (Path folder : ImageFiles.subfolders(train)) {
            images.addAll(ImageFiles.list(folder));
        }
        return images;
    }

    /** The first few, then how many more. */
    static String shown(List<String> all) {
        String first = String.join(", ", all.subList(0, Math.min(SHOWN, all.size())));
        return all.size() > SHOWN ? first + " and " + (all.size() - SHOWN) + " more" : first;
    }
}
