package dev.hutch.dsl.shell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DSL's documentation of a word, for {@code :doc}: the rows of docs/dsl.md's tables whose
 * first column shows the word, with the section they are in. docs/dsl.md is the one source; the
 * build puts it into the dsl jar ({@code dev/hutch/dsl/doc/dsl.md}), so what {@code :doc} says is
 * what the reference says.
 */
final class DslDoc {
    static final String RESOURCE = "/dev/hutch/dsl/doc/dsl.md";
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern LEADING_WORD = Pattern.compile("^\\.?([A-Za-z_][A-Za-z0-9_]*)");
    /** {@code 64.mb}, {@code 1.5.gb}: the unit is the word. */
    private static final Pattern UNIT = Pattern.compile("^[0-9][0-9.]*\\.([a-z]+)$");

    /** One documented use: the word as written, what the other columns say, and the section. */
    record Entry(String usage, String text, String section) {}

    private final List<Row> rows;

    private record Row(List<String> words, String usage, String text, String section) {}

    private DslDoc(List<Row> rows) { this.rows = rows; }

    static DslDoc load() {
        try (InputStream in = DslDoc.class.getResourceAsStream(RESOURCE)) {
            return parse(in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return parse("");
        }
    }

    static DslDoc parse(String markdown) {
        List<Row> rows = new ArrayList<>();
        String section = "";
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) section = line.substring(3).strip();
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| ---")) continue;
            String[] cells = line.substring(1).split("(?<!\\\\)\\|");
            if (cells.length < 2) continue;
            String first = cells[0].strip();
            if (first.startsWith("[")) continue; // a link to a sample, not a word
            List<String> words = new ArrayList<>();
            Matcher m = CODE.matcher(first);
            while (m.find()) {
                for (String span : List.of(m.group(1))) {
                    Matcher u = UNIT.matcher(span.strip());
                    Matcher w = LEADING_WORD.matcher(span.strip());
                    String word = u.find() ? u.group(1) : w.find() ? w.group(1) : null;
                    if (word != null && !words.contains(word)) words.add(word);
                }
            }
            if (words.isEmpty()) continue; // a header row, or a row about something else
            StringBuilder text = new StringBuilder();
            for (int i = 1; i < cells.length; i++) {
                String c = cells[i].strip();
                if (c.isEmpty()) continue;
                if (text.length() > 0) text.append("; ");
                text.append(c.replace("`", ""));
            }
            rows.add(new Row(words, first.replace("`", ""), text.toString(), section));
        }
        return new DslDoc(rows);
    }

    /** Every documented use of the word. */
    List<Entry> lookup(String word) {
        List<Entry> out = new ArrayList<>();
        for (Row r : rows) if (r.words().contains(word)) out.add(new Entry(r.usage(), r.text(), r.section()));
        return out;
    }

    /** Every word the documentation has a row for. */
    TreeSet<String> words() {
        TreeSet<String> out = new TreeSet<>();
        for (Row r : rows) out.addAll(r.words());
        return out;
    }

    /** What {@code :doc WORD} prints. */
    String describe(String word) {
        List<Entry> entries = lookup(word);
        if (entries.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.usage()).append("    [").append(e.section()).append("]\n");
            if (!e.text().isEmpty()) sb.append("    ").append(e.text()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
