package dev.paddy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images of a folder to classify: its sub-folders too, hidden ones left out, by their path under it. */
class ImageFilesWalkTest {
    @TempDir
    Path folder;

    @Test
    void imagesInSubFoldersAreListedByTheirPathUnderTheFolderHiddenFoldersAndOtherFilesAreNot() throws Exception {
        for (String file : List.of("b.png", "a/z.jpg", "a/b/c.JPEG", ".cache/x.png", "a/._z.jpg", "notes.txt",
                "a/photo.webp", "Thumbs.db")) {
            Files.createDirectories(folder.resolve(file).getParent());
            Files.writeString(folder.resolve(file), "x");
        }
        assertEquals(List.of("a/b/c.JPEG", "a/z.jpg", "b.png"),
                ImageFiles.walk(folder).stream().map(f -> ImageFiles.relativeId(folder, f)).toList());
        assertEquals(List.of("a/photo.webp", "notes.txt"),
                ImageFiles.ignoredUnder(folder).stream().map(f -> ImageFiles.relativeId(folder, f)).toList());
        assertEquals("b.png", ImageFiles.relativeId(folder, folder.resolve("b.png")), "directly inside: the test id");
    }
}
