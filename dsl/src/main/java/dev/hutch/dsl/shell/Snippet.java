package dev.hutch.dsl.shell;

import java.util.regex.Pattern;

/**
 * The lines typed so far for one evaluation. A snippet is complete when its brackets balance
 * outside strings and comments (a block opened with {@code container('web') {} continues on the
 * next lines until its closing brace), which is all an interactive user needs.
 */
final class Snippet {
    /** {@code def web = ...} at the top level: the shell drops the {@code def} so {@code web} lives on. */
    private static final Pattern TOP_LEVEL_DEF = Pattern.compile("(?m)^(\\s*)def\\s+([A-Za-z_$][\\w$]*)\\s*=");

    private final StringBuilder text = new StringBuilder();

    void add(String line) { text.append(line).append('\n'); }

    boolean isEmpty() { return text.toString().isBlank(); }

    boolean isComplete() {
        String t = text.toString().stripTrailing();
        return depth(t) <= 0 && !t.endsWith("\\") && !t.endsWith(",") && !t.endsWith(".");
    }

    /**
     * The code to evaluate. A local {@code def x = ...} would vanish with the snippet's script, so at
     * the start of a line it becomes a binding variable; the same as groovysh does.
     */
    String code() { return TOP_LEVEL_DEF.matcher(text).replaceAll("$1$2 ="); }

    void clear() { text.setLength(0); }

    /** Open brackets minus closed ones, ignoring those in strings and comments. */
    static int depth(String s) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                int nl = s.indexOf('\n', i);
                if (nl < 0) break;
                i = nl;
            } else if (c == '\'' || c == '"') quote = c;
            else if (c == '{' || c == '(' || c == '[') depth++;
            else if (c == '}' || c == ')' || c == ']') depth--;
        }
        return depth;
    }
}
