package dev.paddy.experiment;

import dev.paddy.data.Decoder;
import dev.paddy.data.ItemImages;
import dev.paddy.data.ItemTransform;
import dev.paddy.data.PaddyData;
import dev.paddy.io.DiskFullException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The experiment's decoded images: each item transform's training and test items are decoded
 * once per build (and mapped from the on-disk item cache in later builds), whatever the number of
 * members and stages that use them. Undecodable training images are logged and skipped; an
 * undecodable test image is an error, since every test image needs a prediction.
 */
final class ItemCache {
    private final PaddyData data;
    private final Path dir;
    private final int threads;
    private final ExperimentLog log;
    private final Map<ItemTransform, ItemImages> training = new HashMap<>();
    private final Map<ItemTransform, ItemImages> test = new HashMap<>();

    ItemCache(PaddyData data, Path dir, int threads, ExperimentLog log) {
        this.data = data;
        this.dir = dir;
        this.threads = threads;
        this.log = log;
    }

    /**
     * The training items; the skipped ones are named in the log with their reasons, once. A class
     * none of whose images can be used fails: the model would learn a label it never sees.
     */
    synchronized ItemImages training(ItemTransform transform) throws ExperimentException, IOException {
        ItemImages items = training.get(transform);
        if (items == null) {
            items = decode("training", data.trainFiles(), transform);
            for (String failure : items.failures()) {
                log.warn("skipped training image " + failure);
            }
            if (!items.failures().isEmpty()) {
                log.warn(items.failures().size() + " training image(s) could not be decoded and are skipped");
            }
            training.put(transform, items);
        }
        int[] usable = new int[data.vocabulary().size()];
        int[] all = new int[usable.length];
        for (int i = 0; i < data.train().size(); i++) {
            int label = data.train().get(i).label();
            all[label]++;
            usable[label] += items.isMissing(i) ? 0 : 1;
        }
        List<String> unusable = new ArrayList<>();
        for (int c = 0; c < usable.length; c++) {
            if (usable[c] == 0) {
                unusable.add("class '" + data.vocabulary().get(c) + "': none of its " + all[c] + " image(s) can be used");
            }
        }
        if (!unusable.isEmpty()) {
            throw new ExperimentException(unusable.size() + " class(es) have no training image that can be used (each"
                    + " skipped image is named above with its reason); replace the images or remove the folder:\n  "
                    + String.join("\n  ", unusable));
        }
        return items;
    }

    synchronized ItemImages test(ItemTransform transform) throws ExperimentException, IOException {
        ItemImages items = test.get(transform);
        if (items == null) {
            items = decode("test", data.test(), transform);
            test.put(transform, items);
        }
        return requireEvery(items, "test image(s) cannot be read, and every test image needs a prediction; replace or"
                + " re-export them");
    }

    /**
     * The images of a folder to classify ({@code paddy:predict}), decoded as the test images are (and
     * kept in the item cache the same way); as for those, an image that cannot be read fails, named
     * with its reason.
     */
    ItemImages folder(Path folder, List<Path> files, ItemTransform transform) throws ExperimentException, IOException {
        return requireEvery(decode("'" + folder.getFileName() + "'", files, transform),
                "image(s) in " + folder + " cannot be read, and every image there needs a prediction; replace,"
                        + " re-export or remove them");
    }

    /** {@code items}, when every one could be decoded; else the failure: how many {@code what}, then each with its reason. */
    private static ItemImages requireEvery(ItemImages items, String what) throws ExperimentException {
        if (!items.failures().isEmpty()) {
            throw new ExperimentException(items.failures().size() + " " + what + ":\n  "
                    + String.join("\n  ", items.failures()));
        }
        return items;
    }

    private ItemImages decode(String what, List<Path> files, ItemTransform transform) throws IOException {
        long start = System.nanoTime();
        long[] lastReport = {start};
        ItemImages items;
        try {
            items = ItemImages.presize(files, transform, threads, done -> {
                long now = System.nanoTime();
                if (now - lastReport[0] > 5e9) { // progress only when decoding takes a while
                    lastReport[0] = now;
                    log.info("decoding " + what + " images: " + done + "/" + files.size());
                }
            }, dir, log::warn);
        } catch (DiskFullException e) {
            throw e; // says which file, what it needs and what is free
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            throw new IOException("cannot write the item cache under " + dir + ": " + cause.getMessage(), cause);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (items.fromCache()) {
            log.info(String.format(Locale.ROOT, "%d %s images at %s: mapped from the item cache in %.2f s, no decoding",
                    files.size(), what, transform, seconds));
        } else {
            log.info(String.format(Locale.ROOT, "decoded %d %s images to %s with %s in %.1f s (%.0f img/s), cached for"
                    + " later epochs, members and builds", files.size(), what, transform, Decoder.name(),
                    seconds, files.size() / Math.max(seconds, 1e-9)));
        }
        return items;
    }
}
