package dev.paddy.data;

import static dev.paddy.data.HeaderBytes.ascii;
import static dev.paddy.data.HeaderBytes.startsWith;
import static dev.paddy.data.HeaderBytes.u32le;
import static dev.paddy.data.HeaderBytes.u8;

import dev.paddy.data.ImageHeader.Format;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What a file is, from its first bytes (its content, not its name): one of the formats paddy
 * reads, or else the reason it is not one: another image format, named (a WebP, a HEIC), or no
 * image at all (an HTML page, an SVG, text, unknown bytes).
 */
final class ImageSignature {
    private static final String READABLE = "JPEG, PNG, BMP and GIF";

    private ImageSignature() {}

    /** The format of a file that starts with {@code b} (its first 512 bytes, or all of a shorter file). */
    static Format format(byte[] b) throws UnusableImageException {
        if (b.length >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
            return Format.JPEG;
        }
        if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
            return Format.PNG;
        }
        if (ascii(b, 0, 6).equals("GIF87a") || ascii(b, 0, 6).equals("GIF89a")) {
            return Format.GIF;
        }
        if (ascii(b, 0, 2).equals("BM") && b.length >= 18 && List.of(12L, 40L, 52L, 56L, 64L, 108L, 124L)
                .contains(u32le(b, 14))) {
            return Format.BMP;
        }
        String other = otherFormat(b);
        if (other != null) {
            throw new UnusableImageException(other + ", a format paddy does not read (it reads " + READABLE
                    + "): convert it to PNG or JPEG");
        }
        throw new UnusableImageException(notAnImage(b));
    }

    /** Formats recognised by their signature only to name them; null if none. */
    private static String otherFormat(byte[] b) {
        if (ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return "a WebP image";
        }
        if (ascii(b, 0, 4).equals("II*\0") || ascii(b, 0, 4).equals("MM\0*")) {
            return "a TIFF image";
        }
        if (ascii(b, 4, 4).equals("ftyp")) {
            String brand = ascii(b, 8, 4);
            if (List.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1").contains(brand)) {
                return "a HEIC/HEIF image (as iPhones take them)";
            }
            return brand.startsWith("avi") ? "an AVIF image" : "an MP4 or QuickTime file (a video?)";
        }
        if (ascii(b, 4, 8).equals("jP  \r\n\u0087\n") || startsWith(b, 0, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51})) {
            return "a JPEG 2000 image";
        }
        if (startsWith(b, 0, new byte[] {(byte) 0xFF, 0x0A}) || ascii(b, 4, 8).equals("JXL \r\n\u0087\n")) {
            return "a JPEG XL image";
        }
        if (ascii(b, 0, 4).equals("8BPS")) {
            return "a Photoshop document";
        }
        if (ascii(b, 0, 5).equals("%PDF-")) {
            return "a PDF document";
        }
        if (ascii(b, 0, 4).equals("PK\u0003\u0004")) {
            return "a ZIP archive";
        }
        return null;
    }

    /** The reason for content that is no image at all: an HTML page, an SVG, text, or unknown bytes. */
    private static String notAnImage(byte[] b) {
        boolean text = true;
        for (byte x : b) {
            int c = x & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B)) {
                text = false;
                break;
            }
        }
        if (!text) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(8, b.length); i++) {
                hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
            }
            return "not an image paddy can read (it reads " + READABLE + "; this file starts with the bytes " + hex
                    + "): replace it with the image";
        }
        String content = new String(b, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
        String lower = content.toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.startsWith("<head")) {
            return "an HTML page, not an image (a download that saved an error or sign-in page?): download the image"
                    + " again";
        }
        if (lower.contains("<svg")) {
            return "an SVG drawing, not a picture of pixels: export it to PNG";
        }
        String first = content.lines().findFirst().orElse("").replaceAll("[^\\p{Print}]", "?");
        return "a text file, not an image (it starts with \"" + (first.length() > 40 ? first.substring(0, 40) + "..." : first)
                + "\"): replace it with the image";
    }
}
