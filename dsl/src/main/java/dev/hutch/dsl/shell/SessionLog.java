package dev.hutch.dsl.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snippets a session evaluated without an error, in order: what {@code :list} shows and
 * {@code :save} writes as a script. The script does what the session did and prints what the
 * session showed: a snippet whose value the shell printed is wrapped in {@code show}, the DSL word
 * that prints a value the way the shell does.
 */
final class SessionLog {
    /** {@code web = ...} as the whole snippet (after the shell turned {@code def web =} into it). */
    private static final Pattern ONE_ASSIGNMENT = Pattern.compile("^\\s*([A-Za-z_$][\\w$]*)\\s*=(?!=)[^;]*$", Pattern.DOTALL);

    /**
     * @param typed the snippet as typed
     * @param code  as evaluated (top-level {@code def}s made binding variables)
     * @param shown whether the shell printed its value
     */
    record Entry(String typed, String code, boolean shown) {}

    private final List<Entry> entries = new ArrayList<>();

    void add(String typed, String code, boolean shown) { entries.add(new Entry(typed.stripTrailing(), code.stripTrailing(), shown)); }

    List<Entry> entries() { return List.copyOf(entries); }

    void clear() { entries.clear(); }

    /** The session as a runnable sandbox script ({@code hutch script FILE}). */
    String script() {
        StringBuilder sb = new StringBuilder("// saved by hutch shell: run it with `hutch script FILE`\n");
        for (Entry e : entries) {
            if (!e.shown()) {
                sb.append(e.code()).append('\n');
                continue;
            }
            Matcher m = ONE_ASSIGNMENT.matcher(e.code());
            if (m.matches() && !e.code().contains("\n")) sb.append(e.code()).append('\n').append("show ").append(m.group(1)).append('\n');
            else if (!e.code().contains("\n")) sb.append("show { ").append(e.code().strip()).append(" }\n");
            else sb.append("show {\n").append(e.code().indent(4)).append("}\n");
        }
        return sb.toString();
    }
}
