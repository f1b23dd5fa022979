package dev.paddy.data;

import java.nio.file.Path;

/**
 * Decodes one file with each decoder in a JVM of its own and prints, a line each, {@code
 * <decoder>: <outcome>}: the reason it was refused, or "decoded". BadImagesTest runs it as root
 * in a user namespace of its own, where root cannot read a file whose owner is not mapped.
 */
public final class UnreadableFileChild {
    private UnreadableFileChild() {}

    public static void main(String[] args) {
        ItemTransform squish = new ItemTransform(ItemTransform.Resize.SQUISH, 16);
        for (String decoder : new String[] {"OpenCV", "ImageIO"}) {
            boolean openCv = decoder.equals("OpenCV");
            if (openCv && !Decoder.name().startsWith("opencv")) {
                continue;
            }
            String outcome;
            try {
                Decoder.decode(Path.of(args[0]), squish, openCv);
                outcome = "decoded";
            } catch (UnusableImageException e) {
                outcome = e.getMessage();
            }
            System.out.println(decoder + ": " + outcome);
        }
        System.exit(0);
    }
}
