package dev.paddy.data;

import java.nio.file.Path;

/** Reads one CSV in a JVM of its own (CsvBadInputTest starts it with a small heap) and prints the outcome. */
public final class CsvReadChild {
    private CsvReadChild() {}

    public static void main(String[] args) {
        try {
            System.out.println("read " + Csv.read(Path.of(args[0])).rows().size() + " rows");
        } catch (DataException e) {
            System.out.println(String.join("\n", e.problems()));
        }
    }
}
