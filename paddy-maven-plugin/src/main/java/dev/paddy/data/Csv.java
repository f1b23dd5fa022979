package dev.paddy.data;

import dev.paddy.io.Utf8Text;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CSV file as Kaggle, pandas and Excel write them (RFC 4180): a header row, then records whose
 * fields may be quoted ({@code "a,b"}, a quote inside doubled: {@code "say ""hi"""}, even a line
 * break inside). Strict UTF-8, a leading byte order mark dropped; CRLF, LF or CR line ends;
 * blank lines skipped wherever they are (pandas' {@code skip_blank_lines}); unquoted fields
 * trimmed. Every row keeps the line it starts on, for messages ({@link #at}).
 */
public final class Csv {
    /** Kaggle's largest CSVs are a few hundred MB; this reader holds the file in memory. */
    static final long MAX_BYTES = 1L << 30;

    /**
     * Heap a file takes while it is read, per byte of it: the bytes, their text (two bytes a
     * character beyond Latin-1) and the parsed fields with their objects. Measured on a 36 MB
     * Kaggle-like labels CSV (1 M rows of two short fields): 4.8 retained, about 7 at the peak while
     * parsing; 8 leaves a little room for the rest of the build.
     */
    static final long HEAP_PER_BYTE = 8;

    /** One record, with the 1-based line of the file it starts on. */
    public record Row(int line, List<String> fields) {
        public Row {
            fields = List.copyOf(fields);
        }

        /** The {@code index}th field, or "" when the row is shorter. */
        public String field(int index) {
            return index < fields.size() ? fields.get(index) : "";
        }
    }

    private final Path file;
    private final List<String> header;
    private final List<Row> rows;

    private Csv(Path file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
    }

    public Path file() {
        return file;
    }

    /** The first record's fields: the column names. */
    public List<String> header() {
        return header;
    }

    /** The records after the header, blank lines left out. */
    public List<Row> rows() {
        return rows;
    }

    /** "file:line: ", the start of a message about {@code row}. */
    public String at(Row row) {
        return file + ":" + row.line() + ": ";
    }

    /**
     * Reads and parses the whole file. A file that is not UTF-8, has no header, leaves a quote
     * open, or has a row with more fields than the header (an unquoted comma) is refused with
     * the line to fix.
     */
    public static Csv read(Path file) throws DataException {
        String text;
        try {
            checkHeap(file, Files.size(file), Runtime.getRuntime());
            text = Utf8Text.read(file, MAX_BYTES);
        } catch (Utf8Text.NotUtf8Exception e) {
            throw new DataException(List.of(file + ":" + e.line() + ":" + e.column() + ": not UTF-8 text: " + e.what()
                    + " at byte offset " + e.offset() + "; save the file as UTF-8"));
        } catch (NoSuchFileException e) {
            throw new DataException(List.of(file + ": file not found"));
        } catch (AccessDeniedException e) {
            throw new DataException(List.of(file + ": cannot read: permission denied; make it readable (chmod u+r)"));
        } catch (IOException e) {
            throw new DataException(List.of(file + ": cannot read: " + e.getMessage()));
        } catch (OutOfMemoryError e) {
            throw new DataException(List.of(tooLarge(file, Runtime.getRuntime())));
        }
        List<Row> records;
        try {
            records = parse(file, text);
        } catch (OutOfMemoryError e) {
            text = null; // let the collector have it before the message is built
            throw new DataException(List.of(tooLarge(file, Runtime.getRuntime())));
        }
        if (records.isEmpty()) {
            throw new DataException(List.of(file + ":1: empty file; expected a header such as 'image_id,label'"));
        }
        List<String> header = records.get(0).fields();
        List<String> problems = new ArrayList<>();
        for (Row row : records.subList(1, records.size())) {
            if (row.fields().size() > header.size()) {
                problems.add(file + ":" + row.line() + ": " + row.fields().size() + " fields, but the header has "
                        + header.size() + " (" + String.join(",", header) + "); a field that holds a comma must be"
                        + " quoted: \"a,b\"");
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new Csv(file, header, records.subList(1, records.size()));
    }

    /** Refuses, before reading, a file that would not fit in the heap this JVM has left. */
    private static void checkHeap(Path file, long size, Runtime runtime) throws DataException {
        long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (size <= MAX_BYTES && size * HEAP_PER_BYTE > free) {
            throw new DataException(List.of(tooLarge(file, runtime)));
        }
    }

    private static String tooLarge(Path file, Runtime runtime) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0;
        }
        return String.format(Locale.ROOT, "%s: %,d MiB of CSV needs about %,d MiB of memory to read, and Maven's JVM"
                + " may use %,d MiB in all; give it more (e.g. MAVEN_OPTS=-Xmx%dg) or make the file smaller", file,
                size >> 20, (size * HEAP_PER_BYTE) >> 20, runtime.maxMemory() >> 20,
                Math.max(2, ((size * HEAP_PER_BYTE) >> 30) + 2));
    }

    private static List<Row> parse(Path file, String text) throws DataException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean quoted = false;      // this field was quoted (and is kept as written)
        boolean blank = true;        // this unquoted field has nothing but white space so far
        boolean inQuotes = false;
        int quoteLine = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    inQuotes = false;
                    i++;
                    // after the closing quote: spaces, then a comma or the end of the record
                    while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                        i++;
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new DataException(List.of(file + ":" + line + ": '" + text.charAt(i) + "' after the"
                                + " closing quote of a field; a quote inside a quoted field is written twice (\"\")"));
                    }
                    continue;
                }
                if (c == '\n' || (c == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
                    line++;
                }
                field.append(c);
                i++;
                continue;
            }
            if (c == '"' && blank) {
                field.setLength(0);
                inQuotes = true;
                quoted = true;
                quoteLine = line;
                i++;
            } else if (c == ',') {
                fields.add(quoted ? field.toString() : field.toString().trim());
                field.setLength(0);
                quoted = false;
                blank = true;
                i++;
            } else if (c == '\n' || c == '\r') {
                fields.add(quoted ? field.toString() : field.toString().trim());
                if (!(fields.size() == 1 && !quoted && fields.get(0).isEmpty())) {
                    rows.add(new Row(rowLine, fields));
                }
                fields = new ArrayList<>();
                field.setLength(0);
                quoted = false;
                blank = true;
                i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                line++;
                rowLine = line;
            } else {
                field.append(c);
                blank &= Character.isWhitespace(c);
                i++;
            }
        }
        if (inQuotes) {
            throw new DataException(List.of(file + ":" + quoteLine + ": a quoted field opened on this line is never"
                    + " closed; close it with '\"' (a quote inside a quoted field is written twice: \"\")"));
        }
        fields.add(quoted ? field.toString() : field.toString().trim());
        if (!(fields.size() == 1 && !quoted && fields.get(0).isEmpty())) {
            rows.add(new Row(rowLine, fields));
        }
        return rows;
    }

    /** {@code value} as a CSV field: quoted when it holds a comma, a quote, a line break or edge spaces. */
    public static String quote(String value) {
        boolean edgeSpace = !value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ');
        boolean needs = edgeSpace || value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
