package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.paddy.ChildJvm;
import dev.paddy.submit.SubmissionWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, CSVs: the sample submission (through {@link PaddyData#scan}) and the test labels
 * ({@link TestLabels#read}), each a table of files generated here and what paddy makes of them:
 * the ids (or labels) it reads, or the exact problems it refuses the file with. {csv} stands for
 * the CSV's path, {test} for the test folder's.
 */
class CsvBadInputTest {
    @TempDir
    Path dir;
    Path train;
    Path test;
    Path csv;

    @BeforeEach
    void layout() throws IOException {
        train = dir.resolve("train");
        test = dir.resolve("test");
        // Nothing is decoded while the layout is scanned: empty files named .jpg are images enough.
        for (String image : List.of("cat/1.jpg", "dog/2.jpg")) {
            Files.createDirectories(train.resolve(image).getParent());
            Files.write(train.resolve(image), new byte[0]);
        }
        Files.createDirectories(test);
        for (String image : List.of("a.jpg", "b.jpg", "c,d.jpg")) {
            Files.write(test.resolve(image), new byte[0]);
        }
        csv = dir.resolve("file.csv");
    }

    static Arguments reads(String name, String content, String... ids) {
        return Arguments.of(name, content.getBytes(StandardCharsets.UTF_8), List.of(ids), List.of());
    }

    static Arguments refuses(String name, String content, String... problems) {
        return refuses(name, content.getBytes(StandardCharsets.UTF_8), problems);
    }

    static Arguments refuses(String name, byte[] content, String... problems) {
        return Arguments.of(name, content, List.of(), List.of(problems));
    }

    static Stream<Arguments> sampleSubmissions() {
        String header = "image_id,label\n";
        String rest = "b.jpg,\n\"c,d.jpg\",\n";
        return Stream.of(
                reads("plain", header + "a.jpg,\n" + rest, "a.jpg", "b.jpg", "c,d.jpg"),
                reads("byte order mark, CRLF, trailing blank lines", "\uFEFFimage_id,label\r\na.jpg,\r\nb.jpg,\r\n"
                        + "\"c,d.jpg\",\r\n\r\n\r\n  \r\n", "a.jpg", "b.jpg", "c,d.jpg"),
                reads("CR line ends, quoted header and fields", "\"image_id\",\"label\"\r\"a.jpg\",\"\"\r\"b.jpg\",\r"
                        + "\"c,d.jpg\",", "a.jpg", "b.jpg", "c,d.jpg"),
                reads("blank lines between rows, spaces around fields", header + "\n a.jpg , \n\n" + rest,
                        "a.jpg", "b.jpg", "c,d.jpg"),
                reads("no label column value at all", header + "a.jpg\nb.jpg\n\"c,d.jpg\"\n", "a.jpg", "b.jpg", "c,d.jpg"),
                refuses("duplicate id", header + "a.jpg,\n" + rest + "a.jpg,\n",
                        "{csv}:5: image id 'a.jpg' appears twice, first on line 2; a submission has one row per test"
                                + " image: remove one of them"),
                refuses("id with ../", header + "a.jpg,\n../train/cat/1.jpg,\n" + rest,
                        "{csv}:3: image id '../train/cat/1.jpg' is a path that leaves its folder ('..'); ids name files"
                                + " inside the data folder, and paddy never reads a path a CSV gives"),
                refuses("absolute id", header + "a.jpg,\n/etc/passwd,\n" + rest,
                        "{csv}:3: image id '/etc/passwd' is an absolute path; ids name files inside the data folder,"
                                + " and paddy never reads a path a CSV gives"),
                refuses("Windows absolute id", header + "a.jpg,\nC:\\data\\a.jpg,\n" + rest,
                        "{csv}:3: image id 'C:\\data\\a.jpg' is an absolute path; ids name files inside the data"
                                + " folder, and paddy never reads a path a CSV gives"),
                refuses("id in a sub-folder", header + "a.jpg,\nsub/a.jpg,\n" + rest,
                        "{csv}:3: image id 'sub/a.jpg' is a path, not a file name; ids name files inside the data"
                                + " folder, and paddy never reads a path a CSV gives"),
                refuses("id with a line break", header + "a.jpg,\n\"b.jpg\n[INFO] x\",\n" + rest,
                        "{csv}:3: image id 'b.jpg\\n[INFO] x' holds a control character; ids are file names: remove it"),
                refuses("id with a terminal escape", header + "a.jpg,\nb\u001b[2J.jpg,\n" + rest,
                        "{csv}:3: image id 'b\\u001b[2J.jpg' holds a control character; ids are file names: remove it"),
                refuses("empty id", header + "a.jpg,\n,\n" + rest,
                        "{csv}:3: the image id is empty; each row starts with the file name of its image"),
                refuses("test id with no image", header + "a.jpg,\nz.jpg,\n" + rest,
                        "{csv}:3: image id 'z.jpg' has no file in {test}; add the image or remove the row"),
                refuses("image with no row", header + rest,
                        "{test}/a.jpg: test image is not listed in {csv}; add a row for it or remove the file"),
                refuses("unquoted comma", header + "a.jpg,\nc,d.jpg,\nb.jpg,\n",
                        "{csv}:3: 3 fields, but the header has 2 (image_id,label); a field that holds a comma must be"
                                + " quoted: \"a,b\""),
                refuses("quote never closed", header + "a.jpg,\n\"c,d.jpg,\nb.jpg,\n",
                        "{csv}:3: a quoted field opened on this line is never closed; close it with '\"' (a quote"
                                + " inside a quoted field is written twice: \"\")"),
                refuses("text after a closing quote", header + "\"a\".jpg,\n" + rest,
                        "{csv}:2: '.' after the closing quote of a field; a quote inside a quoted field is written"
                                + " twice (\"\")"),
                refuses("Latin-1", (header + "a.jpg,\n" + rest + "caf\u00e9.jpg,\n").getBytes(StandardCharsets.ISO_8859_1),
                        "{csv}:5:4: not UTF-8 text: byte 0xE9 at byte offset 43; save the file as UTF-8"),
                refuses("UTF-16 with byte order mark", utf16(header + "a.jpg,\n" + rest),
                        "{csv}:1:1: not UTF-8 text: a UTF-16 byte order mark (0xFF 0xFE) at byte offset 0; save the file"
                                + " as UTF-8"),
                refuses("no header line", "a.jpg,\n" + rest,
                        "{csv}:1: the first line names a test image ('a.jpg'), not the columns; add a header line such"
                                + " as 'image_id,label'"),
                refuses("a header without the id column's name", ",label\na.jpg,\n" + rest,
                        "{csv}:1: the first column has no name; the first line names the columns, e.g. 'image_id,label'"),
                refuses("empty file", "",
                        "{csv}:1: empty file; expected a header such as 'image_id,label'"),
                refuses("header only", header + "\n\n",
                        "{csv}: no rows after the header; the sample submission lists every test image, one per row"
                                + " (image_id,label)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleSubmissions")
    void sampleSubmission(String name, byte[] content, List<String> ids, List<String> problems) throws IOException {
        Files.write(csv, content);
        if (problems.isEmpty()) {
            PaddyData data = assertDoesNotThrow(() -> PaddyData.scan(train, test, csv));
            assertEquals(ids, data.testIds(), name);
            assertEquals(List.of("image_id", "label"), data.submissionColumns(), name);
            assertEquals(ids.stream().map(test::resolve).toList(), data.test(), name);
        } else {
            DataException e = assertThrows(DataException.class, () -> PaddyData.scan(train, test, csv));
            assertEquals(resolved(problems), e.problems(), name);
        }
    }

    static Stream<Arguments> testLabels() {
        String header = "image_id,label\n";
        return Stream.of(
                reads("plain", header + "a.jpg,cat\nb.jpg,dog\n\"c,d.jpg\",cat\n", "a.jpg=cat", "b.jpg=dog", "c,d.jpg=cat"),
                reads("byte order mark, CRLF, quotes, trailing blank lines, rows for other images",
                        "\uFEFFimage_id,label\r\n\"a.jpg\",\"cat\"\r\nb.jpg,dog\r\nother.jpg,cat\r\n\"c,d.jpg\",cat\r\n\r\n",
                        "a.jpg=cat", "b.jpg=dog", "c,d.jpg=cat", "other.jpg=cat"),
                refuses("a label never seen in training", header + "a.jpg,cat\nb.jpg,cow\n\"c,d.jpg\",cat\n",
                        "{csv}:3: label 'cow' is not a class of the training data; classes (the folders of"
                                + " data.train): cat, dog"),
                refuses("one unknown label on many rows", header + "a.jpg,Cat\nb.jpg,dog\n\"c,d.jpg\",Cat\n",
                        "{csv}:2: label 'Cat' (on 2 rows, the first here) is not a class of the training data; classes"
                                + " (the folders of data.train): cat, dog"),
                refuses("duplicate id", header + "a.jpg,cat\nb.jpg,dog\na.jpg,dog\n\"c,d.jpg\",cat\n",
                        "{csv}:4: image id 'a.jpg' appears twice, first on line 2; keep one row per image"),
                refuses("a test image with no row", header + "a.jpg,cat\n\"c,d.jpg\",cat\n",
                        "{csv}: no label for test image 'b.jpg'; add a row image_id,label for every test image"),
                refuses("an empty label", header + "a.jpg,cat\nb.jpg,\n\"c,d.jpg\",cat\n",
                        "{csv}:3: no label for 'b.jpg'; each row is image_id,label"),
                refuses("id with ../", header + "a.jpg,cat\nb.jpg,dog\n\"c,d.jpg\",cat\n../../etc/passwd,cat\n",
                        "{csv}:5: image id '../../etc/passwd' is a path that leaves its folder ('..'); ids name files"
                                + " inside the data folder, and paddy never reads a path a CSV gives"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testLabels")
    void testLabels(String name, byte[] content, List<String> labels, List<String> problems) throws IOException {
        Files.write(csv, content);
        List<String> testIds = List.of("a.jpg", "b.jpg", "c,d.jpg");
        List<String> vocabulary = List.of("cat", "dog");
        if (problems.isEmpty()) {
            Map<String, String> read = assertDoesNotThrow(() -> TestLabels.read(csv, testIds, vocabulary)).labels();
            assertEquals(labels.stream().sorted().toList(),
                    read.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList(), name);
        } else {
            DataException e = assertThrows(DataException.class, () -> TestLabels.read(csv, testIds, vocabulary));
            assertEquals(resolved(problems), e.problems(), name);
        }
    }

    @Test
    void aLongListOfMissingImagesIsCutAfterTen() throws IOException {
        for (int i = 0; i < 12; i++) {
            Files.write(test.resolve("x" + (char) ('a' + i) + ".jpg"), new byte[0]);
        }
        Files.writeString(csv, "image_id,label\na.jpg,\nb.jpg,\n\"c,d.jpg\",\n");
        List<String> problems = assertThrows(DataException.class, () -> PaddyData.scan(train, test, csv)).problems();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(test.resolve("x" + (char) ('a' + i) + ".jpg") + ": test image is not listed in " + csv
                    + "; add a row for it or remove the file");
        }
        expected.add("... and 2 more test images not listed in " + csv);
        assertEquals(expected, problems);
    }

    @Test
    void anIdWithACommaSurvivesTheRoundTripThroughTheSubmission() throws Exception {
        Files.writeString(csv, "image_id,label\na.jpg,\n\"c,d.jpg\",\nb.jpg,\n");
        PaddyData data = PaddyData.scan(train, test, csv);
        Path submission = dir.resolve("submission.csv");
        SubmissionWriter.write(submission, "image_id", "label", data.testIds(),
                new float[][] {{1, 0}, {0, 1}, {1, 0}}, List.of("cat", "say \"dog\""));
        assertEquals("image_id,label\na.jpg,cat\n\"c,d.jpg\",\"say \"\"dog\"\"\"\nb.jpg,cat\n", Files.readString(submission));
        Csv back = Csv.read(submission);
        assertEquals(List.of(List.of("a.jpg", "cat"), List.of("c,d.jpg", "say \"dog\""), List.of("b.jpg", "cat")),
                back.rows().stream().map(Csv.Row::fields).toList());
    }

    /** Issue 22, item 11: a class name goes into the submission, so a folder name with a control character is refused. */
    @Test
    void aClassFolderWithAControlCharacterIsRefused() throws IOException {
        Path folder = Files.createDirectories(train.resolve("cat\u001b[31m"));
        Files.write(folder.resolve("3.jpg"), new byte[0]);
        Files.writeString(csv, "image_id,label\na.jpg,\nb.jpg,\n\"c,d.jpg\",\n");
        DataException e = assertThrows(DataException.class, () -> PaddyData.scan(train, test, csv));
        assertEquals(List.of(train + "/cat\\u001b[31m: a class folder's name holds a control character, and class names"
                + " go into the submission; rename the folder"), e.problems());
    }

    /** Issue 22, item 7: quotes after text in an unquoted field are read in one pass, not one copy of the field per quote. */
    @Test
    void fourMegabytesOfQuotesAfterTextAreReadNotAHang() throws IOException {
        String quotes = "\"".repeat(4 << 20);
        Files.writeString(csv, "image_id,label\nx" + quotes + ",cat\n");
        Csv read = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Csv.read(csv)); // a guard: hours before
        assertEquals(List.of(List.of("x" + quotes, "cat")), read.rows().stream().map(Csv.Row::fields).toList());
    }

    /**
     * Issue 22, item 7: a CSV too large for the heap is a message that says how much memory it needs,
     * not an OutOfMemoryError: a JVM of 64 MiB reads a 40 MiB labels file.
     */
    @ChildJvm
    @Test
    void aCsvTooLargeForTheHeapSaysWhatItNeeds() throws Exception {
        try (var out = new java.io.BufferedWriter(Files.newBufferedWriter(csv))) {
            out.write("image_id,label\n");
            for (int i = 0; i < 2_000_000; i++) {
                out.write(String.format(java.util.Locale.ROOT, "%09d.jpg,blast\n", i));
            }
        }
        long mib = Files.size(csv) >> 20;
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), CsvReadChild.class.getName(), csv.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.waitFor(), output);
        assertEquals(csv + ": " + mib + " MiB of CSV needs about " + (Files.size(csv) * Csv.HEAP_PER_BYTE >> 20) + " MiB of"
                + " memory to read, and Maven's JVM may use 64 MiB in all; give it more (e.g. MAVEN_OPTS=-Xmx2g) or make"
                + " the file smaller", output);
    }

    private List<String> resolved(List<String> problems) {
        return problems.stream().map(p -> p.replace("{csv}", csv.toString()).replace("{test}", test.toString())).toList();
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> supplier) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(supplier);
    }

    static byte[] utf16(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] withMark = new byte[body.length + 2];
        withMark[0] = (byte) 0xFF;
        withMark[1] = (byte) 0xFE;
        System.arraycopy(body, 0, withMark, 2, body.length);
        return withMark;
    }
}
