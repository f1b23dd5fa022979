package dev.paddy.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, "Manifest, CSVs and paths": each bad manifest (generated here, as text or bytes) and
 * the exact problems it is refused with. In the expected lines, {file} stands for the manifest's
 * absolute path and {dir} for its folder.
 */
class ManifestBadInputTest {
    // The allowed lists come from the loader, so a key added later does not change these cases.
    static final String TOP = String.join(", ", ManifestLoader.TOP_KEYS);
    static final String TRAINING = String.join(", ", ManifestLoader.TRAINING_KEYS);
    static final String MEMBER_KEYS = String.join(", ", ManifestLoader.MEMBER_KEYS);
    static final String DATA = """
            data:
              train: data/train
              test: data/test
              sample_submission: data/sample_submission.csv
            """;
    static final String MEMBER = """
            members:
              - {name: a, arch: resnet18}
            """;
    static final String ADVICE = "check the indentation, quotes and brackets on this line and the one before";

    @TempDir
    Path dir;
    Path file;

    /** Set if YAML ever makes paddy load or build a class it names: it must never happen. */
    static volatile boolean sentinelTouched;

    /** A class a tag names; loading it (its static initializer) or building one sets the flag. */
    public static final class Sentinel {
        static {
            sentinelTouched = true;
        }

        public Sentinel() {
            sentinelTouched = true;
        }
    }

    @BeforeEach
    void data() throws IOException {
        // Nothing is decoded while the manifest is read: empty files named .jpg are images enough.
        for (String image : List.of("train/cat/1.jpg", "train/cat/2.jpg", "train/dog/3.jpg", "test/4.jpg")) {
            Path path = dir.resolve("data").resolve(image);
            Files.createDirectories(path.getParent());
            Files.write(path, new byte[0]);
        }
        Files.writeString(dir.resolve("data/sample_submission.csv"), "image_id,label\n4.jpg,\n");
        Files.write(dir.resolve("weights.params"), new byte[0]);
        file = dir.resolve("paddy.yaml");
    }

    static Arguments yaml(String name, String text, String... expected) {
        return Arguments.of(name, text.getBytes(StandardCharsets.UTF_8), List.of(expected));
    }

    static Arguments bytes(String name, byte[] content, String... expected) {
        return Arguments.of(name, content, List.of(expected));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // YAML itself
                yaml("syntax error", "data: [unclosed\n",
                        "{file}:2:1: not valid YAML: expected ',' or ']', but got <stream end> (while parsing a flow"
                                + " sequence at line 1, column 7); " + ADVICE),
                yaml("tab indentation", "data:\n\ttrain: data/train\n",
                        "{file}:2:1: not valid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use"
                                + " \\t(TAB) for indentation); indent with spaces: YAML does not allow tabs there"),
                yaml("two documents", DATA + MEMBER + "---\n" + DATA,
                        "{file}:7:1: not valid YAML: but found another document (expected a single document in the"
                                + " stream at line 1, column 1); a manifest is one YAML document: remove the '---' line or"
                                + " the second document"),
                yaml("undefined alias", DATA + "members: *team\n",
                        "{file}:5:10: not valid YAML: found undefined alias team; define the anchor ('&name') before"
                                + " the alias ('*name') that uses it"),
                yaml("duplicate key in a section", """
                        data:
                          train: data/train
                          test: data/test
                          train: data/elsewhere
                          sample_submission: data/sample_submission.csv
                        """ + MEMBER,
                        "{file}:4:3: data.train: duplicate key, also set at line 2; YAML keeps only one value per key:"
                                + " remove one of them"),
                yaml("duplicate top-level key", DATA + MEMBER + "members: []\n",
                        "{file}:7:1: members: duplicate key, also set at line 5; YAML keeps only one value per key:"
                                + " remove one of them"),
                yaml("alias bomb (billion laughs)", billionLaughs(9),
                        "{file}:7:23: more than 50 aliases to lists or mappings (this one is '*f'); paddy refuses such a"
                                + " manifest as a possible alias bomb ('billion laughs': each alias can double what the"
                                + " document holds); write the repeated values out, or use fewer anchors"),
                yaml("nesting bomb", "data: " + "[".repeat(60) + "]".repeat(60) + "\n",
                        "{file}:1:57: nested more than 50 levels deep; a paddy manifest has at most 4 levels (members,"
                                + " a member, item, size): check the indentation and the brackets"),
                yaml("!!java.net.URL tag", DATA.replace("train: data/train", "train: !!java.net.URL http://x/") + MEMBER,
                        "{file}:2:10: tag '!!java.net.URL' refused: paddy builds no objects from YAML and a manifest"
                                + " holds plain values only (text, numbers, lists, mappings); remove the tag"),
                yaml("!!class tag on a mapping", DATA + MEMBER + "tta: !!dev.paddy.manifest.ManifestBadInputTest$Sentinel {n: 1}\n",
                        "{file}:7:6: tag '!!dev.paddy.manifest.ManifestBadInputTest$Sentinel' refused: paddy builds no"
                                + " objects from YAML and a manifest holds plain values only (text, numbers, lists,"
                                + " mappings); remove the tag"),
                yaml("verbatim global tag", DATA + "members: !<tag:example.com,2000:team> []\n",
                        "{file}:5:10: tag 'tag:example.com,2000:team' refused: paddy builds no objects from YAML and a"
                                + " manifest holds plain values only (text, numbers, lists, mappings); remove the tag"),
                yaml("local tag", DATA + MEMBER + "tta: {n: !int 2}\n",
                        "{file}:7:10: tag '!int' refused: paddy builds no objects from YAML and a manifest holds plain"
                                + " values only (text, numbers, lists, mappings); remove the tag"),
                yaml("control character", DATA + MEMBER + "tta: {n: 2\u0007}\n",
                        "{file}:7:11: character U+0007 is not allowed in YAML (a control character); remove it"),
                bytes("Latin-1 bytes", (DATA + MEMBER + "submission: {message: \"donn\u00e9es\"}\n")
                                .getBytes(StandardCharsets.ISO_8859_1),
                        "{file}:7:28: not UTF-8 text: byte 0xE9 at byte offset 158; paddy reads the manifest as UTF-8"
                                + " only: save it as UTF-8"),
                bytes("UTF-16 with byte order mark", utf16((DATA + MEMBER), true),
                        "{file}:1:1: not UTF-8 text: a UTF-16 byte order mark (0xFF 0xFE) at byte offset 0; paddy"
                                + " reads the manifest as UTF-8 only: save it as UTF-8"),
                bytes("UTF-16 without byte order mark", utf16((DATA + MEMBER), false),
                        "{file}:1:2: not UTF-8 text: a NUL byte (0x00) (a UTF-16 file without a byte order mark?) at"
                                + " byte offset 1; paddy reads the manifest as UTF-8 only: save it as UTF-8"),
                bytes("larger than 1 MiB", ("#" + "x".repeat(98) + "\n").repeat(11_000).getBytes(StandardCharsets.UTF_8),
                        "{file}: 1,100,000 bytes, more than the 1,048,576 this file may have (1 MiB); a manifest is a"
                                + " few dozen lines: check that -Dpaddy.manifest names the paddy.yaml"),
                yaml("empty file", "",
                        "{file}: the manifest is empty; it needs at least 'data:' (train, test, sample_submission) and"
                                + " 'members:' (each with a name and an arch)"),
                yaml("comments only", "# paddy.yaml\n\n   \n# nothing yet\n",
                        "{file}: the manifest is empty; it needs at least 'data:' (train, test, sample_submission) and"
                                + " 'members:' (each with a name and an arch)"),
                yaml("a list, not a mapping", "- data\n- members\n",
                        "{file}:1:1: the manifest: expected a mapping of keys to values ('data:', 'members:', ...),"
                                + " got a list"),
                // keys in the wrong place
                yaml("epochz: nested key mistyped at the top", DATA + MEMBER + "epochz: 3\n",
                        "{file}:7:1: unknown key 'epochz' in the manifest (did you mean 'defaults.epochs'?); allowed: " + TOP),
                yaml("a defaults key at the top", DATA + MEMBER + "lr: 0.01\n",
                        "{file}:7:1: unknown key 'lr' in the manifest (did you mean 'defaults.lr'?); allowed: " + TOP),
                yaml("an item key at the top, mistyped", DATA + MEMBER + "sise: 64\n",
                        "{file}:7:1: unknown key 'sise' in the manifest (did you mean 'defaults.item.size'?); allowed: " + TOP),
                yaml("a data key in defaults", DATA + MEMBER + "defaults: {valid_pct: 0.1}\n",
                        "{file}:7:12: unknown key 'valid_pct' in defaults (did you mean 'data.valid_pct'?); allowed: " + TRAINING),
                yaml("a member key in defaults", DATA + MEMBER + "defaults: {accum: 2}\n",
                        "{file}:7:12: unknown key 'accum' in defaults (did you mean 'members[].accum'?); allowed: " + TRAINING),
                yaml("a tta key in a member", DATA + "members:\n  - {name: a, arch: resnet18, n: 8}\n",
                        "{file}:6:31: unknown key 'n' in members[0] (did you mean 'tta.n'?); allowed: " + MEMBER_KEYS),
                yaml("nothing close", DATA + MEMBER + "colour: blue\n",
                        "{file}:7:1: unknown key 'colour' in the manifest; allowed: " + TOP),
                // numbers
                yaml("zero epochs", DATA + MEMBER + "defaults: {epochs: 0}\n",
                        "{file}:7:20: defaults.epochs: 0 is out of range; allowed: 1 to 10000"),
                yaml("negative epochs", DATA + "members:\n  - {name: a, arch: resnet18, epochs: -3}\n",
                        "{file}:6:39: members[0].epochs: -3 is out of range; allowed: 1 to 10000"),
                yaml("zero lr", DATA + MEMBER + "defaults: {lr: 0}\n",
                        "{file}:7:16: defaults.lr: 0 is out of range; allowed: greater than 0.0 to 10.0"),
                yaml("negative lr", DATA + MEMBER + "defaults: {lr: -0.001}\n",
                        "{file}:7:16: defaults.lr: -0.001 is out of range; allowed: greater than 0.0 to 10.0"),
                yaml("zero batch", DATA + MEMBER + "defaults: {batch_size: 0}\n",
                        "{file}:7:24: defaults.batch_size: 0 is out of range; allowed: 1 to 65536"),
                yaml("negative batch", DATA + MEMBER + "defaults: {batch_size: -64}\n",
                        "{file}:7:24: defaults.batch_size: -64 is out of range; allowed: 1 to 65536"),
                yaml("accum larger than the batch", DATA + "members:\n  - {name: a, arch: resnet18, batch_size: 16, accum: 32}\n",
                        "{file}:6:54: members[0].accum: accum 32 is larger than batch_size 16: a step of 16 images"
                                + " cannot be cut into 32 micro-batches; pick an accum that divides 16: 1, 2, 4, 8, 16"),
                yaml("accum not a divisor", DATA + "members:\n  - {name: a, arch: resnet18, batch_size: 12, accum: 5}\n",
                        "{file}:6:54: members[0].accum: batch_size 12 is not a multiple of accum 5; the micro-batch is"
                                + " batch_size / accum, so pick an accum that divides it: 1, 2, 3, 4, 6, 12"),
                yaml("zero accum", DATA + "members:\n  - {name: a, arch: resnet18, accum: 0}\n",
                        "{file}:6:38: members[0].accum: 0 is out of range; allowed: 1 to 65536"),
                yaml("valid_pct of 1", DATA + "  valid_pct: 1\n" + MEMBER,
                        "{file}:5:14: data.valid_pct: 1 is out of range; allowed: greater than 0.0 to 0.9"),
                // paths the user writes: anywhere, but they must exist
                yaml("missing relative folder", DATA.replace("data/test", "data/tests") + MEMBER,
                        "{file}:3:9: data.test: folder not found: {dir}/data/tests (relative to the manifest's folder);"
                                + " create it or correct the path"),
                yaml("missing absolute folder", DATA.replace("data/train", "/nonexistent/paddy/train") + MEMBER,
                        "{file}:2:10: data.train: folder not found: /nonexistent/paddy/train; create it or correct the path"),
                yaml("folder written with ~", DATA.replace("data/train", "~/paddy/train") + MEMBER,
                        "{file}:2:10: data.train: folder not found: {dir}/~/paddy/train (relative to the manifest's"
                                + " folder); '~' is not expanded: write the full path"),
                yaml("a folder where a CSV is expected", DATA.replace("data/sample_submission.csv", "data/test") + MEMBER,
                        "{file}:4:22: data.sample_submission: {dir}/data/test is a folder; expected a file"),
                yaml("a file where a folder is expected", DATA.replace("test: data/test", "test: data/sample_submission.csv") + MEMBER,
                        "{file}:3:9: data.test: {dir}/data/sample_submission.csv is a file; expected a folder"),
                yaml("missing weights", DATA + "members:\n  - {name: a, arch: resnet18, weights: ../elsewhere/a.params}\n",
                        "{file}:6:40: members[0].weights: file not found: {dir}/../elsewhere/a.params (relative to the"
                                + " manifest's folder); create it or correct the path"),
                // Issue 22, item 9: names that would take another file's place under the output folder.
                yaml("a submission named like the build's lock", DATA + MEMBER + "submission: {file: .lock}\n",
                        "{file}:7:20: submission.file: '.lock' is not a plain file name; use letters, digits, '.', '_'"
                                + " and '-' (at most 100, not starting with '.'), e.g. 'submission.csv'"),
                yaml("a submission named like the ensemble's file", DATA + MEMBER + "submission: {file: ensemble.probs}\n",
                        "{file}:7:20: submission.file: 'ensemble.probs' is a name paddy uses for its own files in the"
                                + " output folder; choose another, e.g. 'submission.csv'"),
                yaml("a submission named '..'", DATA + MEMBER + "submission: {file: ..}\n",
                        "{file}:7:20: submission.file: '..' is not a plain file name; use letters, digits, '.', '_'"
                                + " and '-' (at most 100, not starting with '.'), e.g. 'submission.csv'"),
                yaml("members whose files would be one", DATA + "members:\n  - {name: x, arch: resnet18}\n"
                                + "  - {name: x.training, arch: resnet18}\n",
                        "{file}:7:12: members[1].name: 'x.training' ends with '.training', which names the training"
                                + " record of member 'x' among the predictions; choose another name"),
                yaml("member names that differ in case only", DATA + "members:\n  - {name: Res, arch: resnet18}\n"
                                + "  - {name: res, arch: resnet18}\n",
                        "{file}:7:12: members[1].name: duplicate member name 'res' (as 'Res': names are file names,"
                                + " and on macOS and Windows case does not tell files apart); each member needs its own"),
                yaml("an over-long member name", DATA + "members:\n  - {name: " + "r".repeat(300) + ", arch: resnet18}\n",
                        "{file}:6:12: members[0].name: 'rrrrrrrrrrrrrrrrrrrr...' has 300 characters; a member name has"
                                + " at most 100 (it becomes part of file names)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithThisMessage(String name, byte[] content, List<String> expected) throws IOException {
        Files.write(file, content);
        String absolute = file.toAbsolutePath().normalize().toString();
        String folder = file.toAbsolutePath().normalize().getParent().toString();
        List<String> wanted = new ArrayList<>();
        for (String line : expected) {
            String resolved = line.replace("{file}", absolute).replace("{dir}", folder);
            // a path the message resolved is normalized ("{dir}/../x" is the folder above)
            wanted.add(resolved.contains("/../") ? normalizedPaths(resolved) : resolved);
        }
        ManifestException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ManifestException.class, () -> ManifestLoader.load(file)));
        assertEquals(wanted, e.problems(), name);
        assertFalse(sentinelTouched, "no object is ever built from the YAML");
    }

    private static String normalizedPaths(String message) {
        StringBuilder out = new StringBuilder();
        for (String word : message.split(" ", -1)) {
            out.append(out.length() == 0 ? "" : " ")
                    .append(word.startsWith("/") ? Path.of(word).normalize().toString() : word);
        }
        return out.toString();
    }

    @Test
    void aUtf8ByteOrderMarkIsDroppedAndAnAliasBombUnderTheLimitIsNotExpanded() throws Exception {
        Files.write(file, ("\uFEFF" + DATA + MEMBER).getBytes(StandardCharsets.UTF_8));
        assertEquals("a", ManifestLoader.load(file).members().get(0).name());

        // 50 aliases, 25 levels: 2^25 lists if expanded; composed, it is 26 small nodes.
        StringBuilder bomb = new StringBuilder(DATA + MEMBER + "ensemble:\n  bomb:\n    l0: &l0 [x, x]\n");
        for (int i = 1; i <= 25; i++) {
            bomb.append("    l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        Files.writeString(file, bomb);
        ManifestException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ManifestException.class, () -> ManifestLoader.load(file)));
        assertEquals(List.of(file.toAbsolutePath().normalize() + ":8:3: unknown key 'bomb' in ensemble; allowed: members"),
                e.problems());
    }

    @Test
    void aMangledManifestEndsInAManifestProblemOrLoadsNeverInAnotherException() throws IOException {
        byte[] valid = (DATA + MEMBER + "defaults: {epochs: 2, item: {resize: crop, size: 64}}\ntta: {n: 2}\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = "&*!|>[]{}:,-#'\"\t\n\r\u0007%@`?~ 0.e&a*a!!x".getBytes(StandardCharsets.UTF_8);
        java.util.Random random = new java.util.Random(12);
        for (int round = 0; round < 500; round++) {
            byte[] mangled = valid.clone();
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(mangled.length);
                byte value = random.nextInt(10) == 0 ? (byte) (0x80 + random.nextInt(128)) : alphabet[random.nextInt(alphabet.length)];
                mangled = switch (random.nextInt(3)) {
                    case 0 -> { mangled[at] = value; yield mangled; }
                    case 1 -> concat(java.util.Arrays.copyOf(mangled, at), new byte[] {value},
                            java.util.Arrays.copyOfRange(mangled, at, mangled.length));
                    default -> concat(java.util.Arrays.copyOf(mangled, at),
                            java.util.Arrays.copyOfRange(mangled, at + 1, mangled.length));
                };
            }
            Files.write(file, mangled);
            try {
                ManifestLoader.load(file);
            } catch (ManifestException e) {
                assertFalse(e.problems().isEmpty());
            } catch (RuntimeException e) {
                throw new AssertionError("an internal error instead of a manifest problem for:\n"
                        + new String(mangled, StandardCharsets.UTF_8), e);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The classic: each level holds nine aliases of the one before. */
    static String billionLaughs(int levels) {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (int i = 1; i < levels; i++) {
            char name = (char) ('a' + i);
            yaml.append(name).append(": &").append(name).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = name;
        }
        return yaml.toString();
    }

    static byte[] utf16(String text, boolean byteOrderMark) {
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        if (!byteOrderMark) {
            return body;
        }
        byte[] withMark = new byte[body.length + 2];
        withMark[0] = (byte) 0xFF;
        withMark[1] = (byte) 0xFE;
        System.arraycopy(body, 0, withMark, 2, body.length);
        return withMark;
    }
}
