package dev.paddy.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.TinyPaddy;
import dev.paddy.data.ImageFiles;
import dev.paddy.data.ItemTransform;
import dev.paddy.engine.Numerics;
import dev.paddy.memory.MemoryBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void data() throws Exception {
        TinyPaddy.create(dir, 3, 4, 5);
        file = dir.resolve("paddy.yaml");
    }

    private List<String> problems(String yaml) {
        TinyPaddy.manifest(dir, yaml);
        return assertThrows(ManifestException.class, () -> ManifestLoader.load(file)).problems();
    }

    private String at(int line, int column) {
        return file.toAbsolutePath().normalize() + ":" + line + ":" + column + ": ";
    }

    @Test
    void validManifestResolvesDefaultsAndOverrides() throws Exception {
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                defaults:
                  epochs: 3
                  item: {resize: crop, size: 40}
                  seed: 7
                members:
                  - name: a
                    arch: resnet18
                  - name: b
                    arch: convnext_atto
                    accum: 4
                    lr: 0.01
                    input_size: 32
                    weight: 2
                """));
        Manifest manifest = ManifestLoader.load(file);
        MemberSpec a = manifest.members().get(0);
        MemberSpec b = manifest.members().get(1);
        assertEquals(3, a.training().epochs());
        assertEquals(1e-3, a.training().lr());
        assertEquals(new ItemTransform(ItemTransform.Resize.CROP, 40), a.training().item());
        assertEquals(40, a.training().inputSize(), "input_size follows the item size");
        assertEquals(0.01, b.training().lr());
        assertEquals(32, b.training().inputSize());
        assertEquals(16, b.microBatchSize());
        assertEquals(2.0, b.weight());
        assertEquals(SeedPolicy.fixed(7), b.training().seed());
        assertEquals(new TtaSpec(4, 0.25), manifest.tta());
        assertEquals(java.util.Optional.empty(), manifest.submission().labelColumn(), "the sample submission's header decides");
        assertEquals(java.util.Optional.empty(), manifest.submission().competition(), "no competition: paddy:upload skips");
        assertEquals(java.util.Optional.empty(), manifest.submission().message(), "the default message is built");
        assertEquals(0.2, manifest.data().validPct());
    }

    @Test
    void unknownKeyIsReportedWithLineColumnAndSuggestion() {
        List<String> problems = problems(TinyPaddy.minimalYaml("""
                defaults:
                  epoch: 3
                members:
                  - name: a
                    arch: resnet18
                """));
        assertEquals(List.of(at(7, 3) + "unknown key 'epoch' in defaults (did you mean 'epochs'?); allowed: epochs, lr,"
                + " lr_mult, batch_size, schedule, freeze_epochs, optimizer, weight_decay, item, input_size, normalize, seed,"
                + " targets, numerics"), problems);
    }

    @Test
    void wrongTypeAndOutOfRangeAndUnknownArchitectureAreAllReportedAtOnce() {
        List<String> problems = problems(TinyPaddy.minimalYaml("""
                defaults:
                  epochs: many
                  lr: -1
                members:
                  - name: a
                    arch: resnet81
                tta:
                  beta: 1.5
                """));
        assertEquals(List.of(
                at(7, 11) + "defaults.epochs: expected a whole number from 1 to 10000, got 'many'",
                at(8, 7) + "defaults.lr: -1 is out of range; allowed: greater than 0.0 to 10.0",
                at(11, 11) + "members[0].arch: unknown architecture 'resnet81' (did you mean 'resnet18'?); allowed: "
                        + "resnet18, resnet34, resnet50, convnext_atto, convnext_femto, convnext_pico, convnext_nano, convnext_tiny,"
                        + " or leave it out and name a TorchScript body with 'weights:'",
                at(13, 9) + "tta.beta: 1.5 is out of range; allowed: from 0.0 to 1.0"), problems);
    }

    @Test
    void missingFolderAndEmptyClassAreReported() throws Exception {
        Files.createDirectories(dir.resolve("data/train_images/empty_class"));
        List<String> problems = problems("""
                data:
                  train: data/train_images
                  test: data/no_such_folder
                  sample_submission: data/sample_submission.csv
                members:
                  - {name: a, arch: resnet18}
                """);
        assertEquals(List.of(
                at(2, 10) + "data.train: class folder 'empty_class' has no images (" + String.join(", ",
                        dev.paddy.data.ImageFiles.EXTENSIONS) + "); add images or remove the folder",
                at(3, 9) + "data.test: folder not found: " + dir.resolve("data/no_such_folder").toAbsolutePath().normalize()
                        + " (relative to the manifest's folder); create it or correct the path"),
                problems);
    }

    @Test
    void accumMustDivideTheBatchAndNamesMustBeUnique() {
        List<String> problems = problems(TinyPaddy.minimalYaml("""
                members:
                  - name: a
                    arch: resnet18
                    accum: 3
                  - name: a
                    arch: resnet18
                    schedule: one_cylce
                """));
        assertEquals(List.of(
                at(9, 12) + "members[0].accum: batch_size 64 is not a multiple of accum 3; the micro-batch is"
                        + " batch_size / accum, so pick an accum that divides it: 1, 2, 4, 8, 16, 32, 64",
                at(12, 15) + "members[1].schedule: unknown value 'one_cylce' (did you mean 'one_cycle'?); allowed:"
                        + " one_cycle, fine_tune",
                at(10, 11) + "members[1].name: duplicate member name 'a'; each member needs its own"), problems);
    }

    @Test
    void missingSectionsAndInvalidYamlSay(/* what to add */) throws Exception {
        assertEquals(List.of(at(1, 1) + "the manifest: missing required key 'members'"),
                problems(TinyPaddy.minimalYaml("")));
        List<String> syntax = problems("data: [unclosed\n");
        assertEquals(1, syntax.size());
        assertTrue(syntax.get(0).startsWith(file.toAbsolutePath().normalize() + ":2:1: not valid YAML"), syntax.get(0));
    }

    @Test
    void inputLargerThanItemIsRejected() {
        List<String> problems = problems(TinyPaddy.minimalYaml("""
                members:
                  - name: a
                    arch: resnet18
                    item: {resize: pad, size: 32}
                    input_size: 48
                """));
        assertEquals(List.of(at(10, 17) + "members[0].input_size: input_size 48 is larger than the item size 32;"
                + " augmentation crops from the item, so make item.size at least input_size"), problems);
    }

    @Test
    void aBudgetMakesAccumAutoTheDefault() throws Exception {
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                budget: 16280MiB
                members:
                  - {name: a, arch: resnet18}
                  - {name: b, arch: resnet18, accum: auto}
                  - {name: c, arch: resnet18, accum: 4}
                """));
        Manifest manifest = ManifestLoader.load(file);
        assertEquals(new MemoryBudget(16280L << 20, 0.05), manifest.budget().orElseThrow());
        assertTrue(manifest.members().get(0).accumAuto());
        assertTrue(manifest.members().get(1).accumAuto());
        assertEquals(false, manifest.members().get(2).accumAuto());
        assertEquals(4, manifest.members().get(2).accum());
    }

    @Test
    void autoNeedsABudgetAndTheBudgetMustBeASize() {
        assertEquals(List.of(at(9, 12) + "members[0].accum: 'auto' needs a memory budget to plan against; add e.g."
                + " 'budget: 16280MiB' at the top level, or give a whole number"),
                problems(TinyPaddy.minimalYaml("""
                        members:
                          - name: a
                            arch: resnet18
                            accum: auto
                        """)));
        assertEquals(List.of(at(6, 9) + "budget: expected a memory size such as 16280MiB, 14GiB or 15.5GB, got 'a lot'"),
                problems(TinyPaddy.minimalYaml("""
                        budget: a lot
                        members:
                          - {name: a, arch: resnet18}
                        """)));
    }

    @Test
    void theCompetitionAndMessageAreRead() throws Exception {
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                members:
                  - {name: a, arch: resnet18}
                submission:
                  competition: paddy-disease-classification
                  message: "first try: resnet18 only"
                """));
        SubmissionSpec submission = ManifestLoader.load(file).submission();
        assertEquals(java.util.Optional.of("paddy-disease-classification"), submission.competition());
        assertEquals(java.util.Optional.of("first try: resnet18 only"), submission.message());
        assertEquals("submission.csv", submission.file());
    }

    @Test
    void aCompetitionIsASlugAndAMessageNeedsOne() {
        assertEquals(List.of(
                at(10, 3) + "unknown key 'mesage' in submission (did you mean 'message'?); allowed: file, label_column,"
                        + " competition, message",
                at(9, 16) + "submission.competition: 'Paddy_Disease Classification' is not a competition slug; use"
                        + " lowercase letters, digits and '-' as in the competition's address"
                        + " https://www.kaggle.com/competitions/<slug> (did you mean 'paddy-disease-classification'?)"),
                problems(TinyPaddy.minimalYaml("""
                        members:
                          - {name: a, arch: resnet18}
                        submission:
                          competition: Paddy_Disease Classification
                          mesage: hi
                        """)));
        assertEquals(List.of(at(9, 12) + "submission.message: a message needs a competition to be sent to; add e.g."
                + " 'competition: paddy-disease-classification' under submission"),
                problems(TinyPaddy.minimalYaml("""
                        members:
                          - {name: a, arch: resnet18}
                        submission:
                          message: first try
                        """)));
        assertEquals(List.of(at(9, 16) + "submission.competition: expected a non-empty text value"),
                problems(TinyPaddy.minimalYaml("""
                        members:
                          - {name: a, arch: resnet18}
                        submission:
                          competition: [a, b]
                        """)));
    }

    private static final String LABELLED = """
            data:
              train: data/train_images
              test: data/test_images
              sample_submission: data/sample_submission.csv
              labels: data/train.csv
            """;

    /** The training images as the Paddy layout lists them: class folder, then file name. */
    private List<Path> trainingImages() {
        List<Path> images = new ArrayList<>();
        for (Path folder : ImageFiles.subfolders(dir.resolve("data/train_images"))) {
            images.addAll(ImageFiles.list(folder));
        }
        return images;
    }

    /** data/train.csv as Paddy's train.csv, for every training image but those {@code without}. */
    private Path labelsCsv(int without) throws Exception {
        List<String> rows = new ArrayList<>(List.of("image_id,label,variety,age"));
        List<Path> images = trainingImages();
        for (int i = without; i < images.size(); i++) {
            rows.add(images.get(i).getFileName() + "," + images.get(i).getParent().getFileName() + ","
                    + (i % 2 == 0 ? "ADT45" : "KarnatakaPonni") + ",45");
        }
        return Files.write(dir.resolve("data/train.csv"), rows).toAbsolutePath().normalize();
    }

    @Test
    void numericsAreTheMachinesUnlessSetAndParallelIsOneWorkerUnlessSet() throws Exception {
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("""
                defaults:
                  numerics: portable
                members:
                  - name: a
                    arch: resnet18
                  - name: b
                    arch: resnet18
                    numerics: machine
                parallel: 2
                """));
        Manifest manifest = ManifestLoader.load(file);
        assertEquals(Numerics.PORTABLE, manifest.members().get(0).training().numerics());
        assertEquals(Numerics.MACHINE, manifest.members().get(1).training().numerics());
        assertEquals(2, manifest.parallel());

        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml("members: [{name: a, arch: resnet18}]\n"));
        assertEquals(Numerics.MACHINE, ManifestLoader.load(file).members().get(0).training().numerics());
        assertEquals(1, ManifestLoader.load(file).parallel());

        List<String> problems = problems(TinyPaddy.minimalYaml("""
                defaults:
                  numerics: portabel
                members: [{name: a, arch: resnet18}]
                parallel: 0
                """));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(at(7, 13)) && p.contains("unknown value 'portabel'")
                && p.contains("did you mean 'portable'") && p.contains("allowed: machine, portable")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(at(9, 11)) && p.contains("parallel")), problems.toString());
    }

    @Test
    void targetsAreTheFolderLabelThenColumnsOfTheLabelsCsv() throws Exception {
        labelsCsv(0);
        TinyPaddy.manifest(dir, LABELLED + """
                members:
                  - name: a
                    arch: resnet18
                    targets: [label, variety]
                  - name: b
                    arch: resnet18
                """);
        Manifest manifest = ManifestLoader.load(file);
        assertEquals(java.util.Optional.of(dir.resolve("data/train.csv").toAbsolutePath().normalize()),
                manifest.data().labels());
        assertEquals(List.of("label", "variety"), manifest.members().get(0).training().targets());
        assertEquals(List.of("variety"), manifest.members().get(0).training().moreTargets());
        assertEquals(List.of("label"), manifest.members().get(1).training().targets(), "the default: the folder label");
    }

    @Test
    void aMissingColumnIsSuggestedAndImagesWithoutARowOrValueAreNamed() throws Exception {
        Path csv = labelsCsv(7);
        List<Path> images = trainingImages();
        // the 9th image's variety (line 3) is blank
        List<String> rows = new ArrayList<>(Files.readAllLines(csv));
        String[] cells = rows.get(2).split(",");
        rows.set(2, cells[0] + "," + cells[1] + ",," + cells[3]);
        Files.write(csv, rows);
        List<String> problems = problems(LABELLED + """
                defaults:
                  targets: [label, varity]
                members:
                  - name: a
                    arch: resnet18
                  - name: b
                    arch: resnet18
                    targets: [variety, label]
                  - name: c
                    arch: resnet18
                    targets: [label, variety]
                """);
        List<String> missing = images.subList(0, 5).stream()
                .map(p -> p.getParent().getFileName() + "/" + p.getFileName()).toList();
        assertEquals(List.of(
                at(13, 14) + "members[1].targets: the first target must be 'label' (the folder label, which the"
                        + " submission predicts), got 'variety'; e.g. [label, variety]",
                at(7, 12) + "defaults.targets: no column 'varity' in " + csv + " (did you mean 'variety'?); its columns"
                        + " after the image id: label, variety, age",
                at(5, 11) + "data.labels: 7 training image(s) have no row in " + csv + ": " + String.join(", ", missing)
                        + " and 2 more; add a row (image_id = the file name) for each",
                at(5, 11) + "data.labels: 1 training image(s) have no 'variety' in " + csv + ": "
                        + images.get(8).getFileName() + " (line 3); every training image needs a value for each target"),
                problems);
    }

    @Test
    void targetsBeyondTheLabelNeedALabelsCsvAndAListThatStartsWithTheLabel() {
        assertEquals(List.of(
                at(8, 14) + "members[0].targets: targets after 'label' are columns of a labels CSV; add it as"
                        + " data.labels (e.g. 'labels: data/train.csv' with the header image_id,label,variety,age)"),
                problems(TinyPaddy.minimalYaml("""
                        members:
                          - name: a
                            targets: [label, variety]
                            arch: resnet18
                        """)));
        assertEquals(List.of(
                at(7, 12) + "defaults.targets: each target may appear once, got [label, variety, variety]",
                at(10, 14) + "members[0].targets: expected a list of names"),
                problems(TinyPaddy.minimalYaml("""
                        defaults:
                          targets: [label, variety, variety]
                        members:
                          - name: a
                            targets: variety
                            arch: resnet18
                        """)));
    }
}
