package dev.paddy.data;

/** The per-image resize applied once after decoding, before any augmentation (fastai's item_tfms). */
public record ItemTransform(Resize resize, int size) {

    /** How a non-square image becomes a square of {@code size}. */
    public enum Resize {
        /** Stretch to the square, keeping all content (fastai's ResizeMethod.Squish). */
        SQUISH,
        /** Scale the short side to size and cut the centre. */
        CROP,
        /** Scale the long side to size and pad the rest with black (fastai pads with zeros). */
        PAD
    }

    @Override
    public String toString() {
        return resize.name().toLowerCase() + " " + size;
    }
}
