package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddy.data.ItemTransform.Resize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemImagesTest {
    @TempDir
    Path dir;

    /** A 64x32 JPEG: left half red, right half blue. */
    private Path wideImage() throws Exception {
        BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 32);
        g.dispose();
        Path file = dir.resolve("wide.jpg");
        ImageIO.write(image, "jpg", file.toFile());
        return file;
    }

    private static int[] rgb(byte[] item, int size, int x, int y) {
        int o = (y * size + x) * 3;
        return new int[] {item[o] & 0xFF, item[o + 1] & 0xFF, item[o + 2] & 0xFF};
    }

    @Test
    void resizeModesSquishCropAndPad() throws Exception {
        Path file = wideImage();
        byte[] squish = Decoder.decode(file, new ItemTransform(Resize.SQUISH, 16));
        assertTrue(rgb(squish, 16, 2, 8)[0] > 200 && rgb(squish, 16, 13, 8)[2] > 200, "both halves kept");
        byte[] crop = Decoder.decode(file, new ItemTransform(Resize.CROP, 16));
        assertTrue(rgb(crop, 16, 2, 8)[0] > 200 && rgb(crop, 16, 13, 8)[2] > 200, "centre square spans both halves");
        byte[] pad = Decoder.decode(file, new ItemTransform(Resize.PAD, 16));
        assertEquals(0, rgb(pad, 16, 8, 0)[0] + rgb(pad, 16, 8, 0)[2], "black band above the content");
        assertTrue(rgb(pad, 16, 2, 8)[0] > 200, "content in the middle rows");
    }

    @Test
    void undecodableImagesAreRecordedWithTheirReasonNotThrown() throws Exception {
        Path good = wideImage();
        Path bad = Files.writeString(dir.resolve("broken.jpg"), "this is not a JPEG");
        ItemImages items = ItemImages.presize(List.of(good, bad), new ItemTransform(Resize.SQUISH, 8), 2, n -> { });
        assertNotNull(items.item(0));
        assertNull(items.item(1));
        assertEquals(List.of(bad + ": a text file, not an image (it starts with \"this is not a JPEG\"): replace it with the"
                + " image"), items.failures());
    }

    @Test
    void augmentationIsReproducibleFromItsSeedAndPlainPathIsDeterministic() throws Exception {
        ByteBuffer item = ByteBuffer.wrap(Decoder.decode(wideImage(), new ItemTransform(Resize.SQUISH, 36)));
        Augmentation augmentation = Augmentation.fastaiDefaults();
        float[] a = new float[3 * 32 * 32];
        float[] b = new float[3 * 32 * 32];
        float[] c = new float[3 * 32 * 32];
        augmentation.renderRandom(item, 36, a, 0, 32, new SplittableRandom(5), Normalization.IMAGENET);
        augmentation.renderRandom(item, 36, b, 0, 32, new SplittableRandom(5), Normalization.IMAGENET);
        augmentation.renderRandom(item, 36, c, 0, 32, new SplittableRandom(6), Normalization.IMAGENET);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c), "another seed, another augmentation");
        float[] plain = new float[3 * 32 * 32];
        Augmentation.renderPlain(item, 36, plain, 0, 32, Normalization.IMAGENET);
        // Plain red pixel, normalised with ImageNet statistics.
        assertEquals((1f - 0.485f) / 0.229f, plain[16 * 32 + 4], 0.1f);
    }

    @Test
    void theItemCacheIsMappedByLaterRunsAndRebuiltWhenAFileChanges() throws Exception {
        Path good = wideImage();
        Path bad = Files.writeString(dir.resolve("broken.jpg"), "this is not a JPEG");
        Path cache = dir.resolve("cache");
        ItemTransform transform = new ItemTransform(Resize.CROP, 12);
        ItemImages first = ItemImages.presize(List.of(good, bad), transform, 2, n -> { }, cache);
        assertTrue(!first.fromCache());
        ItemImages again = ItemImages.presize(List.of(good, bad), transform, 2, n -> { }, cache);
        assertTrue(again.fromCache(), "the second presize maps the file instead of decoding");
        byte[] expected = Decoder.decode(good, transform);
        byte[] mapped = new byte[expected.length];
        again.item(0).get(mapped);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, mapped);
        assertNull(again.item(1));
        assertEquals(first.failures(), again.failures(), "skipped images are still named on reuse");

        Files.setLastModifiedTime(good, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(good).toMillis() + 5000));
        assertTrue(!ItemImages.presize(List.of(good, bad), transform, 2, n -> { }, cache).fromCache(),
                "a changed file means a new cache");
    }

    /** Issue 22, item 11: a line break or ESC in a file name stays inside its one line, in the log and the cache's .failures file. */
    @Test
    void aFileNameWithALineBreakOrAnEscapeIsOneLineInTheFailuresFile() throws Exception {
        Path good = wideImage();
        Path bad = Files.writeString(dir.resolve("broken\n[INFO] BUILD SUCCESS\u001b[2J.jpg"), "this is not a JPEG");
        Path cache = dir.resolve("cache");
        ItemTransform transform = new ItemTransform(Resize.CROP, 12);
        ItemImages first = ItemImages.presize(List.of(good, bad), transform, 2, n -> { }, cache);
        String shown = dir + "/broken\\n[INFO] BUILD SUCCESS\\u001b[2J.jpg: a text file, not an image (it starts with"
                + " \"this is not a JPEG\"): replace it with the image";
        assertEquals(List.of(shown), first.failures());
        ItemImages again = ItemImages.presize(List.of(good, bad), transform, 2, n -> { }, cache);
        assertTrue(again.fromCache());
        assertEquals(List.of(shown), again.failures(), "one skipped image, one line, read back from the .failures file");
    }

    @Test
    void aDamagedItemCacheIsDecodedAgainAndReplacedNotTrusted() throws Exception {
        Path good = wideImage();
        Path cache = dir.resolve("cache");
        ItemTransform transform = new ItemTransform(Resize.SQUISH, 12);
        ItemImages.presize(List.of(good), transform, 1, n -> { }, cache);
        Path file;
        try (var files = Files.list(cache)) {
            file = files.filter(f -> f.toString().endsWith(".u8")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] ^= 0x7f; // the header's magic: same size, not a cache any more
        Files.write(file, bytes);

        ItemImages rebuilt = ItemImages.presize(List.of(good), transform, 1, n -> { }, cache);
        assertTrue(!rebuilt.fromCache(), "decoded again");
        byte[] item = new byte[12 * 12 * 3];
        rebuilt.item(0).get(item);
        org.junit.jupiter.api.Assertions.assertArrayEquals(Decoder.decode(good, transform), item);
        assertTrue(ItemImages.presize(List.of(good), transform, 1, n -> { }, cache).fromCache(), "and replaced");
    }
}
