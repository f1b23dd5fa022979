package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paddy.ChildJvm;
import dev.paddy.Unprivileged;
import dev.paddy.data.ImageCorpus.Case;
import dev.paddy.data.ImageCorpus.Probe;
import dev.paddy.data.ImageCorpus.Refused;
import dev.paddy.data.ImageCorpus.Used;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12's images, one row per case and decoder (OpenCV, and ImageIO alone as machines without
 * OpenCV decode): a usable image is decoded to the colours it shows, an unusable one is refused
 * with exactly the reason the user reads. Then the same corpus as a training set: the refused
 * files are skipped, each named once on one line, and counted.
 */
class BadImagesTest {
    private static final ItemTransform SQUISH = new ItemTransform(ItemTransform.Resize.SQUISH, 16);

    @TempDir
    Path dir;

    static Stream<Arguments> rows() {
        return ImageCorpus.cases().stream().flatMap(c -> Stream.of(Arguments.of(c, "OpenCV"), Arguments.of(c, "ImageIO")));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("rows")
    void everyCaseHasItsOutcome(Case c, String decoder) throws Exception {
        boolean openCv = decoder.equals("OpenCV");
        assumeTrue(!openCv || Decoder.name().startsWith("opencv"), "OpenCV does not load on this machine");
        Path file = c.writeTo(dir);
        String unbuildable = c.unbuildable(file);
        assumeTrue(unbuildable == null, unbuildable);
        if (c.outcome() instanceof Used used) {
            byte[] item = Decoder.decode(file, used.transform(), openCv);
            int size = used.transform().size();
            assertEquals(size * size * 3, item.length);
            for (Probe probe : used.probes()) {
                int o = (probe.y() * size + probe.x()) * 3;
                int[] actual = {item[o] & 0xFF, item[o + 1] & 0xFF, item[o + 2] & 0xFF};
                for (int ch = 0; ch < 3; ch++) {
                    assertTrue(Math.abs(actual[ch] - probe.rgb()[ch]) <= probe.tolerance(), () -> "pixel (" + probe.x()
                            + ", " + probe.y() + "): expected " + java.util.Arrays.toString(probe.rgb()) + " +- "
                            + probe.tolerance() + ", got " + java.util.Arrays.toString(actual));
                }
            }
        } else {
            Refused refused = (Refused) c.outcome();
            UnusableImageException e = assertThrows(UnusableImageException.class, () -> Decoder.decode(file, SQUISH, openCv));
            assertEquals(refused.reason().apply(file), e.getMessage());
        }
    }

    /**
     * The unreadable file also where the tests run as root (CI does), so that the case above, which
     * skips there, is checked on every machine: decoded with each decoder by a user who cannot read
     * it (see {@link Unprivileged}).
     */
    @ChildJvm
    @Test
    void anUnreadableFileIsRefusedWithItsReasonWhenTheTestsRunAsRootToo() throws Exception {
        String unavailable = Unprivileged.unavailable();
        assumeTrue(unavailable == null, unavailable);
        Case unreadable = ImageCorpus.cases().stream().filter(c -> c.fileName().equals("locked.jpg")).findFirst()
                .orElseThrow();
        Path file = unreadable.writeTo(dir);
        Unprivileged.lock(file, "---------");
        List<String> lines = Unprivileged.run(UnreadableFileChild.class, file.toString()).stream()
                .filter(l -> l.startsWith("OpenCV: ") || l.startsWith("ImageIO: ")).toList();
        String reason = ((Refused) unreadable.outcome()).reason().apply(file);
        List<String> expected = new ArrayList<>();
        if (Decoder.name().startsWith("opencv")) {
            expected.add("OpenCV: " + reason);
        }
        expected.add("ImageIO: " + reason);
        assertEquals(expected, lines);
    }

    @Test
    void aTrainingSetOfEveryCaseSkipsTheRefusedOnesEachNamedOnceOnOneLineAndCounted() throws Exception {
        List<Path> files = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        List<Boolean> usable = new ArrayList<>();
        for (Case c : ImageCorpus.cases()) {
            Path folder = Files.createDirectories(dir.resolve("images").resolve(Integer.toString(files.size())));
            Path file = c.writeTo(folder);
            if (c.unbuildable(file) != null) {
                continue;
            }
            files.add(file);
            usable.add(c.outcome() instanceof Used);
            if (c.outcome() instanceof Refused refused) {
                expected.add(file + ": " + refused.reason().apply(file));
            }
        }
        Path cache = dir.resolve("cache");
        ItemImages items = ItemImages.presize(files, SQUISH, 2, n -> { }, cache);
        assertEquals(expected, items.failures());
        for (int i = 0; i < files.size(); i++) {
            assertEquals(!usable.get(i), items.isMissing(i), files.get(i).toString());
        }
        for (String line : items.failures()) {
            assertFalse(line.isBlank() || line.contains("\n") || line.contains("\r"), line);
            assertFalse(line.contains("cv::") || line.contains("/build/") || line.contains("Exception"), line);
        }

        ItemImages again = ItemImages.presize(files, SQUISH, 2, n -> { }, cache);
        assertTrue(again.fromCache());
        assertEquals(expected, again.failures(), "the cache names the same images");
        Path reasons;
        try (Stream<Path> list = Files.list(cache)) {
            reasons = list.filter(f -> f.toString().endsWith(".failures")).findFirst().orElseThrow();
        }
        Files.writeString(reasons, "\n\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(expected, ItemImages.presize(files, SQUISH, 2, n -> { }, cache).failures(),
                "blank lines in the reasons file are no skipped images");
    }

    @Test
    void aDecoderMessageEndingInANewlineBecomesOneLine() {
        String openCv = "cv::Exception: OpenCV(4.9.0) /home/runner/work/opencv/loadsave.cpp:79: error: (-215:Assertion"
                + " failed) pixels <= CV_IO_MAX_IMAGE_PIXELS in function 'validateInputImageSize'\n";
        assertEquals("cv::Exception: OpenCV(4.9.0) /home/runner/work/opencv/loadsave.cpp:79: error: (-215:Assertion failed)"
                + " pixels <= CV_IO_MAX_IMAGE_PIXELS in function 'validateInputImageSize'", UnusableImageException.oneLine(openCv));
        assertEquals("first second", new UnusableImageException("first\r\n  second\n").getMessage());
    }

    @Test
    void aClassFolderListsItsImagesAndNamesItsOtherFilesSystemFilesAside() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("blast"));
        for (String image : List.of("a.jpg", "b.JPEG", "c.png", "d.bmp", "e.gif")) {
            Files.write(folder.resolve(image), new byte[] {1});
        }
        for (String other : List.of("notes.txt", "photo.webp", "scan.TIF", ".DS_Store", "Thumbs.db", "desktop.ini",
                "._a.jpg", ".hidden.png")) {
            Files.write(folder.resolve(other), new byte[] {1});
        }
        Files.createDirectories(folder.resolve("sub.jpg")); // a folder is never an image
        Files.createSymbolicLink(folder.resolve("loop-a.jpg"), Path.of("loop-b.jpg"));
        Files.createSymbolicLink(folder.resolve("loop-b.jpg"), Path.of("loop-a.jpg"));
        Files.createSymbolicLink(folder.resolve("moved.png"), Path.of("gone.png"));
        Files.createSymbolicLink(folder.resolve("link.jpg"), Path.of("a.jpg"));

        assertEquals(List.of("a.jpg", "b.JPEG", "c.png", "d.bmp", "e.gif", "link.jpg", "loop-a.jpg", "loop-b.jpg",
                "moved.png"), ImageFiles.list(folder).stream().map(f -> f.getFileName().toString()).toList(),
                "images, and links that lead nowhere (decoding names them); no hidden or system file");
        List<Path> ignored = ImageFiles.ignored(folder);
        assertEquals(List.of("notes.txt", "photo.webp", "scan.TIF"), ignored.stream().map(f -> f.getFileName().toString())
                .toList());
        assertEquals(List.of(folder.resolve("notes.txt").toString(),
                folder.resolve("photo.webp") + " (WebP: convert it to PNG or JPEG to use it)",
                folder.resolve("scan.TIF") + " (TIFF: convert it to PNG or JPEG to use it)"),
                ignored.stream().map(ImageFiles::describeIgnored).toList());
    }

    @Test
    void theEndMarkerSearchFindsAMarkerAcrossItsReadBlocks() throws Exception {
        // 65,535 zeros after the JPEG: the last 64 KiB block holds only the marker's D9, the one before its FF.
        byte[] jpeg = ImageCorpus.jpeg(ImageCorpus.noise(512, 512), false);
        assertTrue(jpeg.length > 1 << 17, "several blocks: " + jpeg.length);
        Path file = Files.write(dir.resolve("big.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length + (1 << 16) - 1));
        assertNotNull(Decoder.decode(file, SQUISH), "trailing zeros after the marker, the marker across two blocks");
    }
}
