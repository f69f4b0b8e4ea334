package dev.hutch.dsl.shell;

import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.regex.Pattern;

/**
 * The lines typed so far for one evaluation, and whether they are complete yet. The same test at
 * a terminal and through a pipe, so a session behaves alike both ways. A snippet is incomplete
 * (the shell asks for another line) while
 * <ul>
 *   <li>a bracket is open ({@code container('web') {}) or a string is ({@code '''}, {@code "}),</li>
 *   <li>it ends in a line continuation, a comma or a dot, or</li>
 *   <li>Groovy's parser stops at its very end ({@code 1 +}, {@code def x =}, {@code if (ok)}): more
 *       text could still make it valid, as jshell and groovysh see it.</li>
 * </ul>
 * An error anywhere before the end makes it complete: the evaluation reports the error.
 */
final class Snippet {
    /** {@code def web = ...} at the top level: the shell drops the {@code def} so {@code web} lives on. */
    private static final Pattern TOP_LEVEL_DEF = Pattern.compile("(?m)^(\\s*)def\\s+([A-Za-z_$][\\w$]*)\\s*=");

    private final StringBuilder text = new StringBuilder();

    void add(String line) { text.append(line).append('\n'); }

    boolean isEmpty() { return text.toString().isBlank(); }

    boolean isComplete() {
        String t = text.toString().stripTrailing();
        Scan scan = scan(t);
        if (scan.openString || scan.depth > 0) return false;
        if (scan.depth < 0) return true; // a stray closer: nothing typed later fixes it
        if (t.endsWith("\\") || t.endsWith(",") || t.endsWith(".")) return false;
        return !parserStopsAtTheEnd(t);
    }

    /**
     * The code to evaluate. A local {@code def x = ...} would vanish with the snippet's script, so at
     * the start of a line it becomes a binding variable; the same as groovysh does.
     */
    String code() { return TOP_LEVEL_DEF.matcher(text).replaceAll("$1$2 ="); }

    /** What has been typed, as typed. */
    String text() { return text.toString(); }

    void clear() { text.setLength(0); }

    /** Open brackets minus closed ones, ignoring those in strings and comments. */
    static int depth(String s) { return scan(s).depth; }

    record Scan(int depth, boolean openString) {}

    /** Brackets and strings, outside comments; {@code '''} and {@code """} may span lines. */
    static Scan scan(String s) {
        int depth = 0;
        String quote = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != null) {
                if (c == '\\') i++;
                else if (s.startsWith(quote, i)) {
                    i += quote.length() - 1;
                    quote = null;
                }
                continue;
            }
            if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                if (nl < 0) break;
                i = nl;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) return new Scan(depth, true); // an open comment continues too
                i = end + 1;
            } else if (s.startsWith("'''", i) || s.startsWith("\"\"\"", i)) {
                quote = s.substring(i, i + 3);
                i += 2;
            } else if (c == '\'' || c == '"') quote = String.valueOf(c);
            else if (c == '{' || c == '(' || c == '[') depth++;
            else if (c == '}' || c == ')' || c == ']') depth--;
        }
        return new Scan(depth, quote != null);
    }

    /** Whether the parser's first complaint is at the last thing typed (or after it). */
    static boolean parserStopsAtTheEnd(String code) {
        try {
            CompilationUnit cu = new CompilationUnit();
            cu.addSource("snippet", code);
            cu.compile(Phases.CONVERSION);
            return false;
        } catch (MultipleCompilationErrorsException e) {
            Message first = e.getErrorCollector().getErrors().isEmpty() ? null : e.getErrorCollector().getErrors().get(0);
            if (!(first instanceof SyntaxErrorMessage m)) return false;
            SyntaxException x = m.getCause();
            if (String.valueOf(x.getOriginalMessage()).contains("<EOF>")) return true;
            int[] last = lastCharacter(code);
            return x.getLine() > last[0] || (x.getLine() == last[0] && x.getStartColumn() >= last[1]);
        } catch (RuntimeException e) {
            return false; // the evaluation will say what is wrong
        }
    }

    /** Line and column (1-based, as the parser counts) of the last non-blank character. */
    private static int[] lastCharacter(String code) {
        String t = code.stripTrailing();
        int line = 1, col = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '\n') {
                line++;
                col = 0;
            } else col++;
        }
        return new int[] {line, col};
    }
}
