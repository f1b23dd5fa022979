package dev.paddy.data;

import static dev.paddy.data.HeaderBytes.ascii;
import static dev.paddy.data.HeaderBytes.u16;
import static dev.paddy.data.HeaderBytes.u32;

/**
 * The EXIF orientation of an image (1 to 8, 1 upright), from a JPEG's APP1 segment or a PNG's
 * eXIf chunk: the orientation tag of IFD0 in its TIFF structure, either byte order.
 */
final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation tag (0x0112) of IFD0 in an APP1 segment, if it is EXIF; else {@code otherwise}. */
    static int fromApp1(byte[] app, int otherwise) {
        if (app.length < 14 || !ascii(app, 0, 6).equals("Exif\0\0")) {
            return otherwise;
        }
        return fromTiff(app, 6, otherwise);
    }

    /** The orientation tag of IFD0 of the TIFF structure (EXIF's) at {@code tiff}; else {@code otherwise}. */
    static int fromTiff(byte[] app, int tiff, int otherwise) {
        if (app.length < tiff + 8) {
            return otherwise;
        }
        boolean little;
        if (ascii(app, tiff, 2).equals("II")) {
            little = true;
        } else if (ascii(app, tiff, 2).equals("MM")) {
            little = false;
        } else {
            return otherwise;
        }
        long ifd = tiff + u32(app, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > app.length) {
            return otherwise;
        }
        int entries = u16(app, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int e = (int) ifd + 2 + 12 * i;
            if (e + 12 > app.length) {
                break;
            }
            if (u16(app, e, little) == 0x0112 && u16(app, e + 2, little) == 3) {
                int value = u16(app, e + 8, little);
                return value >= 1 && value <= 8 ? value : otherwise;
            }
        }
        return otherwise;
    }
}
