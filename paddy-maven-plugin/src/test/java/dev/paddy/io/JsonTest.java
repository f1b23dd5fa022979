package dev.paddy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JSON record paddy writes carries its format and a checksum of its text: whatever happens
 * to the file afterwards, it reads back whole or is refused with one reason, never misread.
 */
class JsonTest {
    @TempDir
    Path dir;

    record Sample(String key, double errorRate, List<Integer> epochs) implements Json.Checked {
        @Override
        public String problem() {
            return key == null ? "no key" : null;
        }
    }

    record Empty() {}

    static final Sample SAMPLE = new Sample("0123abcd", 0.25, List.of(1, 2, 3));

    record Case(String name, java.util.function.UnaryOperator<String> change, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> damages() {
        return Stream.of(
                new Case("truncated", t -> t.substring(0, t.length() / 2), "checksum mismatch: CRC32C "),
                new Case("one digit changed (still JSON)", t -> t.replace("0.25", "0.35"), "checksum mismatch: CRC32C "),
                new Case("one letter of the key changed", t -> t.replace("0123abcd", "0123abce"), "checksum mismatch: CRC32C "),
                new Case("a newer paddy's format", t -> t.replace("\"format\": 1,", "\"format\": 2,"),
                        "written by a newer paddy (format 2; this paddy reads format 1 and older)"),
                new Case("a letter changed to another script's", t -> t.replace("0123abcd", "0123\u00e9bcd"), "checksum mismatch: CRC32C "));
    }

    @Test
    void aRecordIsWrittenWithItsFormatAndChecksumAndReadBack() throws IOException {
        Path file = dir.resolve("training.json");
        Json.write(file, SAMPLE);
        assertTrue(Files.readString(file).matches("(?s)\\{\n  \"format\": 1,\n  \"crc32c\": \"[0-9a-f]{8}\",\n  \"key\": .*"),
                Files.readString(file));
        assertEquals(Optional.of(SAMPLE), Json.read(file, Sample.class, why -> { throw new AssertionError(why); }));
        Json.write(file, new Empty());
        assertTrue(Files.readString(file).matches("\\{\n  \"format\": 1,\n  \"crc32c\": \"[0-9a-f]{8}\"\n}"),
                Files.readString(file));
        assertEquals(Optional.of(new Empty()), Json.read(file, Empty.class, why -> { throw new AssertionError(why); }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void aChangedFileIsRefusedWithOneReason(Case c) throws IOException {
        Path file = dir.resolve("training.json");
        Json.write(file, SAMPLE);
        Files.writeString(file, c.change().apply(Files.readString(file)));
        List<String> said = new ArrayList<>();
        assertEquals(Optional.empty(), Json.read(file, Sample.class, said::add));
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith(file + ": cannot be read (" + c.reason()), said.get(0));
    }

    @Test
    void aFileWrittenBeforeChecksumsIsReadAsItIs() throws IOException {
        Path file = dir.resolve("training.json");
        Files.writeString(file, Json.toJson(SAMPLE));
        assertEquals(Optional.of(SAMPLE), Json.read(file, Sample.class, why -> { throw new AssertionError(why); }));
    }
}
