package dev.paddy.manifest;

import dev.paddy.io.Utf8Text;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The manifest's text composed into a YAML node tree, and nothing more: no constructor runs, so
 * no object is ever built from the YAML, and a tag other than YAML's own plain types
 * ({@code !!java.net.URL}, {@code !foo}) is refused as soon as the parser meets it. Aliases to
 * lists and mappings, nesting and size are limited (an alias bomb is refused, not expanded), and
 * every refusal names the file, line and column and says what to do.
 */
final class YamlDocument {
    /** A manifest is a few dozen lines; anything this large is not one. */
    static final long MAX_BYTES = 1 << 20;
    /** SnakeYAML's default; a manifest needs a handful of anchors at most. */
    static final int MAX_ALIASES = 50;
    /** SnakeYAML's default; a manifest is 4 levels deep (members, a member, item, size). */
    static final int MAX_DEPTH = 50;
    private static final Set<String> PLAIN_TAGS = Set.of(Tag.STR.getValue(), Tag.INT.getValue(), Tag.FLOAT.getValue(),
            Tag.BOOL.getValue(), Tag.NULL.getValue(), Tag.SEQ.getValue(), Tag.MAP.getValue());

    private YamlDocument() {}

    /** The document's root node; null when the file holds no document (empty, or comments only). */
    static Node compose(Path file) throws ManifestException {
        Problems problems = new Problems(file);
        String text;
        try {
            text = Utf8Text.read(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new ManifestException(List.of(file + ": manifest not found; create it or set -Dpaddy.manifest=<path>"));
        } catch (AccessDeniedException e) {
            throw new ManifestException(List.of(file + ": cannot read the manifest: permission denied; make it readable"
                    + " (chmod u+r)"));
        } catch (Utf8Text.NotUtf8Exception e) {
            throw new ManifestException(List.of(file + ":" + e.line() + ":" + e.column() + ": not UTF-8 text: "
                    + e.what() + " at byte offset " + e.offset() + "; paddy reads the manifest as UTF-8 only: save it"
                    + " as UTF-8"));
        } catch (Utf8Text.TooLargeException e) {
            throw new ManifestException(List.of(file + ": " + e.getMessage() + " (1 MiB); a manifest is a few dozen"
                    + " lines: check that -Dpaddy.manifest names the paddy.yaml"));
        } catch (IOException e) {
            throw new ManifestException(List.of(file + ": cannot read the manifest: " + e));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setTagInspector(tag -> false);
        Watching parser = new Watching(new ParserImpl(new StreamReader(text), options));
        try {
            return new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (RefusedTag e) {
            problems.at(e.mark, "tag '" + e.tag + "' refused: paddy builds no objects from YAML and a manifest holds"
                    + " plain values only (text, numbers, lists, mappings); remove the tag");
        } catch (ReaderException e) {
            problems.at(markAt(text, e.getPosition()), String.format(Locale.ROOT, "character U+%04X is not allowed in"
                    + " YAML (a control character); remove it", e.getCodePoint()));
        } catch (MarkedYAMLException e) {
            problems.at(e.getProblemMark(), "not valid YAML: " + e.getProblem() + context(e) + "; " + advice(e.getProblem()));
        } catch (YAMLException e) {
            problems.at(parser.last == null ? null : parser.last.getStartMark(), limitMessage(e.getMessage(), parser.last));
        }
        throw new ManifestException(problems.list());
    }

    private static String limitMessage(String message, Event at) {
        String text = message == null ? "" : message;
        if (text.startsWith("Number of aliases")) {
            return "more than " + MAX_ALIASES + " aliases to lists or mappings"
                    + (at instanceof AliasEvent alias ? " (this one is '*" + alias.getAnchor() + "')" : "")
                    + "; paddy refuses such a manifest as a possible alias bomb ('billion laughs': each alias can"
                    + " double what the document holds); write the repeated values out, or use fewer anchors";
        }
        if (text.startsWith("Nesting Depth")) {
            return "nested more than " + MAX_DEPTH + " levels deep; a paddy manifest has at most 4 levels"
                    + " (members, a member, item, size): check the indentation and the brackets";
        }
        return "not valid YAML: " + text + "; check the file against the manifest reference in paddy's README";
    }

    private static String context(MarkedYAMLException e) {
        Mark mark = e.getContextMark();
        if (e.getContext() == null || mark == null) {
            return "";
        }
        return " (" + e.getContext() + " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    private static String advice(String problem) {
        String text = problem == null ? "" : problem;
        if (text.contains("\\t(TAB)") || text.contains("'\\t'")) {
            return "indent with spaces: YAML does not allow tabs there";
        }
        if (text.contains("found another document")) {
            return "a manifest is one YAML document: remove the '---' line or the second document";
        }
        if (text.contains("undefined alias")) {
            return "define the anchor ('&name') before the alias ('*name') that uses it";
        }
        if (text.contains("Global tag")) {
            return "paddy builds no objects from YAML: remove the tag";
        }
        return "check the indentation, quotes and brackets on this line and the one before";
    }

    /** The mark of the {@code position}th code point of {@code text}. */
    private static Mark markAt(String text, int position) {
        int index = text.offsetByCodePoints(0, Math.min(position, text.codePointCount(0, text.length())));
        int line = 0;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = text.codePointCount(lineStart, index);
        return new Mark("manifest", index, line, column, new int[0], 0);
    }

    /** A tag that is not one of YAML's plain types, met by the parser. */
    private static final class RefusedTag extends RuntimeException {
        final String tag;
        final transient Mark mark;

        RefusedTag(String tag, Mark mark) {
            super(tag, null, false, false);
            this.tag = tag;
            this.mark = mark;
        }
    }

    /**
     * The parser, watched: refuses foreign tags as it meets them, and keeps the last event the
     * composer looked at, which is where a limit the composer enforces without a mark was crossed
     * (the alias one too many, the node one level too deep).
     */
    private static final class Watching implements Parser {
        private final Parser parser;
        Event last;

        Watching(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            seen(parser.peekEvent());
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return seen(parser.peekEvent());
        }

        @Override
        public Event getEvent() {
            return seen(parser.getEvent());
        }

        private Event seen(Event event) {
            if (event == null) {
                return null;
            }
            last = event;
            String tag = event instanceof ScalarEvent scalar ? scalar.getTag()
                    : event instanceof CollectionStartEvent start ? start.getTag() : null;
            if (tag != null && !"!".equals(tag) && !PLAIN_TAGS.contains(tag)) {
                throw new RefusedTag(tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag,
                        event.getStartMark());
            }
            return event;
        }
    }
}
