package dev.paddy.data;

/**
 * Where the PAD resize puts an image on its square canvas: scaled so that its long side fills the
 * canvas, centred, the rest left black. {@code width} x {@code height} is the scaled image, at
 * least 1 px a side, with its top-left corner at ({@code left}, {@code top}).
 *
 * <p>The ImageIO path has always centred on the rounded size before that 1 px minimum
 * ({@code imageIoLeft}, {@code imageIoTop}): the same corner, except where a side rounds to 0 px
 * on an even canvas, where that one pixel sits one column or row further. Kept so that no item
 * changes; moving it to OpenCV's corner changes items, so the decoder's name (the cache keys) too.
 */
record PadBox(int width, int height, int left, int top, int imageIoLeft, int imageIoTop) {

    /** The box for an image of {@code imageWidth} x {@code imageHeight} on a canvas of side {@code canvas}. */
    static PadBox of(int imageWidth, int imageHeight, int canvas) {
        int longSide = Math.max(imageWidth, imageHeight);
        int roundedWidth = (int) Math.round(canvas * (double) imageWidth / longSide);
        int roundedHeight = (int) Math.round(canvas * (double) imageHeight / longSide);
        int width = Math.max(1, roundedWidth);
        int height = Math.max(1, roundedHeight);
        return new PadBox(width, height, (canvas - width) / 2, (canvas - height) / 2,
                (canvas - roundedWidth) / 2, (canvas - roundedHeight) / 2);
    }
}
