package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paddy.ChildJvm;
import dev.paddy.Unprivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: a manifest, data folder or CSV the build may not read is a problem named with the
 * path and the chmod that fixes it, when the experiment opens (before any training), never an
 * internal error. The experiment is opened by a user who cannot read the locked path (see
 * {@link Unprivileged}: also when the tests run as root). {manifest} and {data} stand for paths.
 */
@ChildJvm
class UnreadableInputTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("the manifest", "paddy.yaml", "---------",
                        "{manifest}: cannot read the manifest: permission denied; make it readable (chmod u+r)"),
                Arguments.of("the test folder", "data/test", "-wx------",
                        "{manifest}:3:9: data.test: cannot read the folder {data}/test: permission denied; make it"
                                + " readable (chmod u+rx)"),
                Arguments.of("the training folder", "data/train", "-wx------",
                        "{manifest}:2:10: data.train: cannot read the folder {data}/train: permission denied; make it"
                                + " readable (chmod u+rx)"),
                Arguments.of("the sample submission", "data/sample_submission.csv", "---------",
                        "{data}/sample_submission.csv: cannot read: permission denied; make it readable (chmod u+r)"),
                Arguments.of("the test labels", "data/test_labels.csv", "---------",
                        "{data}/test_labels.csv: cannot read: permission denied; make it readable (chmod u+r)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAProblemNamingThePathAndTheFix(String name, String locked, String permissions, String expected)
            throws Exception {
        String unavailable = Unprivileged.unavailable();
        assumeTrue(unavailable == null, unavailable);
        Path data = dir.resolve("data");
        for (String file : List.of("train/cat/c1.jpg", "train/cat/c2.jpg", "train/dog/d1.jpg", "train/dog/d2.jpg",
                "test/t1.jpg")) {
            Files.createDirectories(data.resolve(file).getParent());
            Files.write(data.resolve(file), new byte[0]); // nothing is decoded when the experiment opens
        }
        Files.writeString(data.resolve("sample_submission.csv"), "image_id,label\nt1.jpg,\n");
        Files.writeString(data.resolve("test_labels.csv"), "image_id,label\nt1.jpg,cat\n");
        Path manifest = Files.writeString(dir.resolve("paddy.yaml"), """
                data:
                  train: data/train
                  test: data/test
                  sample_submission: data/sample_submission.csv
                  test_labels: data/test_labels.csv
                members:
                  - {name: a, arch: resnet18}
                """);
        assertEquals(List.of("opened"), Unprivileged.run(OpenChild.class, manifest.toString(), dir.resolve("out").toString()),
                "readable, it opens");

        Unprivileged.lock(dir.resolve(locked), permissions);
        List<String> said = Unprivileged.run(OpenChild.class, manifest.toString(), dir.resolve("out").toString());
        assertEquals(List.of(expected.replace("{manifest}", manifest.toString()).replace("{data}", data.toString())),
                said, name);
        assertFalse(Files.exists(dir.resolve("out/members")), "nothing was trained");
    }
}
