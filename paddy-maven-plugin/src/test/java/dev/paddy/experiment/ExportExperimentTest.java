package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.paddy.TinyPaddy;
import dev.paddy.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * paddy:export's stage on a small real data set: a trained member's zip in DJL's model-zoo layout,
 * which plain DJL loads from the folder (translator and names from serving.properties and
 * synset.txt alone) and classifies a real test image with; a rebuild writes nothing; an untrained
 * member is refused naming the goal that trains it.
 */
@Training
class ExportExperimentTest {
    @TempDir
    Path dir;

    static final String MANIFEST = """
            defaults:
              epochs: 1
              batch_size: 16
              item: {resize: squish, size: 20}
              input_size: 16
              seed: 3
            members:
              - name: res
                arch: resnet18
            tta: {n: 0}
            """;

    @Test
    void aTrainedMemberIsExportedOnceAndLoadsInPlainDjl() throws Exception {
        TinyPaddy.create(dir, 3, 12, 4);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MANIFEST));
        Experiment experiment = open();
        ExperimentException untrained = assertThrows(ExperimentException.class, () -> experiment.export(Set.of()));
        assertTrue(untrained.getMessage().contains("paddy:train"), untrained.getMessage());

        experiment.train(Set.of());
        Path zip = experiment.export(Set.of()).get("res");
        assertEquals(experiment.layout().modelZip("res"), zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertEquals(List.of("res/res.pt", "res/serving.properties", "res/synset.txt"),
                    z.stream().map(e -> e.getName()).toList());
        }
        Path folder = experiment.layout().modelZoo("res");
        List<String> vocabulary = experiment.data().vocabulary();
        assertEquals(vocabulary, Files.readAllLines(folder.resolve("synset.txt")));
        String serving = Files.readString(folder.resolve("serving.properties"));
        assertTrue(serving.contains("width=16\n") && serving.contains("height=16\n") && serving.contains("resize=true\n"),
                serving);

        Path test;
        try (Stream<Path> images = Files.list(dir.resolve("data/test_images"))) {
            test = images.sorted().findFirst().orElseThrow();
        }
        Criteria<Image, Classifications> criteria = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(folder).build();
        try (ZooModel<Image, Classifications> model = criteria.loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            Classifications result = predictor.predict(ImageFactory.getInstance().fromFile(test));
            assertEquals(Set.copyOf(vocabulary), Set.copyOf(result.getClassNames()));
        }

        byte[] bytes = Files.readAllBytes(zip);
        FileTime written = Files.getLastModifiedTime(zip);
        Thread.sleep(20);
        Experiment rebuild = open();
        Map<String, Path> again = rebuild.export(Set.of());
        assertEquals(zip, again.get("res"));
        assertEquals(written, Files.getLastModifiedTime(zip), "a rebuild without changes writes no zip");
        assertArrayEquals(bytes, Files.readAllBytes(zip));
        assertEquals(List.of(), rebuild.train(Set.of()).ran(), "and trains nothing");
    }

    @Test
    void aMemberWithoutWeightsWhosePredictionsAreAtHandIsLeftOutNotTrained() throws Exception {
        TinyPaddy.create(dir, 3, 12, 4);
        TinyPaddy.manifest(dir, TinyPaddy.minimalYaml(MANIFEST));
        Experiment experiment = open();
        experiment.train(Set.of());
        experiment.tta(Set.of());
        Files.delete(experiment.layout().model("res")); // as on a teammate's machine: predictions, no weights
        CollectedLog log = new CollectedLog();
        Experiment later = Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), log);
        assertEquals(Map.of(), later.export(Set.of()));
        assertTrue(log.has("res: not exported: no trained weights here"), String.join("\n", log.lines));
        assertTrue(Files.notExists(later.layout().modelZip("res")));
        assertTrue(Files.notExists(later.layout().model("res")), "nothing was trained for the export");
    }

    private Experiment open() throws Exception {
        return Experiment.open(dir.resolve("paddy.yaml"), dir.resolve("target/paddy"), new CollectedLog());
    }
}
