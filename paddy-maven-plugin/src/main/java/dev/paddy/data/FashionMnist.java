package dev.paddy.data;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Converts Fashion-MNIST's IDX files (Debian's {@code dataset-fashion-mnist}, MIT licence) into
 * the Paddy layout: {@code train_images/<label>/<id>.png}, {@code test_images/<id>.png},
 * {@code train.csv}, {@code sample_submission.csv} and {@code test_labels.csv}.
 */
public final class FashionMnist {
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> LABELS = List.of("tshirt_top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle_boot");

    private FashionMnist() {}

    /** Writes the first {@code perClass} training images of each class and the first {@code testCount} test images. */
    public static void convert(Path idxFolder, Path target, int perClass, int testCount) throws IOException {
        byte[][] trainImages = readImages(idxFolder.resolve("train-images-idx3-ubyte.gz"));
        byte[] trainLabels = readLabels(idxFolder.resolve("train-labels-idx1-ubyte.gz"));
        byte[][] testImages = readImages(idxFolder.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] testLabels = readLabels(idxFolder.resolve("t10k-labels-idx1-ubyte.gz"));
        int[] written = new int[LABELS.size()];
        try (Writer trainCsv = Files.newBufferedWriter(mkdirs(target).resolve("train.csv"), StandardCharsets.UTF_8)) {
            trainCsv.write("image_id,label\n");
            for (int i = 0; i < trainImages.length; i++) {
                int label = trainLabels[i];
                if (written[label] >= perClass) {
                    continue;
                }
                written[label]++;
                String id = (100001 + i) + ".png";
                writePng(trainImages[i], mkdirs(target.resolve("train_images").resolve(LABELS.get(label))).resolve(id));
                trainCsv.write(id + "," + LABELS.get(label) + "\n");
            }
        }
        try (Writer sample = Files.newBufferedWriter(target.resolve("sample_submission.csv"), StandardCharsets.UTF_8);
             Writer truth = Files.newBufferedWriter(target.resolve("test_labels.csv"), StandardCharsets.UTF_8)) {
            sample.write("image_id,label\n");
            truth.write("image_id,label\n");
            for (int i = 0; i < Math.min(testCount, testImages.length); i++) {
                String id = (200001 + i) + ".png";
                writePng(testImages[i], mkdirs(target.resolve("test_images")).resolve(id));
                sample.write(id + ",\n");
                truth.write(id + "," + LABELS.get(testLabels[i]) + "\n");
            }
        }
    }

    private static Path mkdirs(Path folder) throws IOException {
        return Files.createDirectories(folder);
    }

    private static void writePng(byte[] pixels, Path file) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, pixels);
        ImageIO.write(image, "png", file.toFile());
    }

    private static byte[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 2051) {
                throw new IOException(file + ": not an IDX image file");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            byte[][] images = new byte[count][rows * columns];
            for (byte[] image : images) {
                in.readFully(image);
            }
            return images;
        }
    }

    private static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 2049) {
                throw new IOException(file + ": not an IDX label file");
            }
            byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
    }
}
