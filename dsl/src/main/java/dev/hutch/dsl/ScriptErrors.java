package dev.hutch.dsl;

import dev.hutch.HutchException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;

import java.io.PrintStream;

/**
 * Turns whatever ended a script into one message at the script's line, and an exit code:
 * <ul>
 *   <li>a hutch error (bad spec, engine failure): {@code web.groovy:4: memory: "64 megs" is not a size}, its code (125);</li>
 *   <li>a failed {@code assert}: {@code web.groovy:9: assert ...} with Groovy's power-assert picture, 1;</li>
 *   <li>a compile error: {@code web.groovy:3:7: unexpected input}, 125 (the script cannot run);</li>
 *   <li>a word where the DSL has none ({@code memory 64.mb} outside a container block, {@code 64.mx}):
 *       {@code web.groovy:5: memory: a word of container('NAME') { } blocks, ...} ({@link DslMistakes}), 1;</li>
 *   <li>anything else: {@code web.groovy:5: IllegalStateException: ...}, 1.</li>
 * </ul>
 * Stack traces only with {@code --debug}: a user's mistake is not hutch's crash.
 */
public final class ScriptErrors {
    public static final int SCRIPT_FAILED = 1;

    private final String scriptFile;
    private final PrintStream err;
    private final boolean debug;

    public ScriptErrors(String scriptFile, PrintStream err, boolean debug) {
        this.scriptFile = scriptFile;
        this.err = err;
        this.debug = debug;
    }

    /** Reports the failure and returns the exit code the script ends with. */
    public int report(Throwable t) {
        t = unwrap(t);
        if (t instanceof ScriptExit exit) return exit.code();
        int code;
        String message;
        if (t instanceof ScriptFailure f) {
            message = f.getMessage();
            code = f.exitCode();
        } else if (t instanceof MultipleCompilationErrorsException c) {
            message = compileErrors(c);
            code = HutchException.ENGINE_FAILURE;
        } else if (t instanceof HutchException h) {
            message = at(t) + ": " + h.getMessage();
            code = h.exitCode();
        } else if (t instanceof AssertionError) {
            message = aligned(at(t) + ": ", String.valueOf(t.getMessage()));
            code = SCRIPT_FAILED;
        } else if (DslMistakes.explain(t) != null) {
            message = at(t) + ": " + DslMistakes.explain(t);
            code = SCRIPT_FAILED;
        } else {
            message = at(t) + ": " + t.getClass().getSimpleName() + ": " + t.getMessage();
            code = SCRIPT_FAILED;
        }
        err.println(message);
        if (debug) t.printStackTrace(err);
        return code;
    }

    /**
     * Groovy's power-assert picture ({@code assert a == b} over lines of {@code |} marks) with the
     * location in front of its first line: the lines below move right by as much, so each mark
     * stays under the value it shows.
     */
    static String aligned(String prefix, String message) {
        String pad = " ".repeat(prefix.length());
        String[] lines = message.split("\n", -1);
        StringBuilder sb = new StringBuilder(prefix).append(lines[0]);
        for (int i = 1; i < lines.length; i++) sb.append('\n').append(lines[i].isEmpty() ? "" : pad + lines[i]);
        return sb.toString();
    }

    /** {@code web.groovy:4}, or just the file name when the error did not pass through the script. */
    public String at(Throwable t) { return ScriptLines.where(scriptFile, ScriptLines.frameIn(t, scriptFile)); }

    /** Groovy wraps what a closure threw when it is called reflectively; the cause is the real error. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof InvokerInvocationException && c.getCause() != null) c = c.getCause();
        for (Throwable x = c; x != null; x = x.getCause()) {
            if (x instanceof ScriptExit) return x;
            if (x.getCause() == x) break;
        }
        return c;
    }

    private String compileErrors(MultipleCompilationErrorsException e) {
        StringBuilder sb = new StringBuilder();
        for (Message m : e.getErrorCollector().getErrors()) {
            if (sb.length() > 0) sb.append('\n');
            if (m instanceof SyntaxErrorMessage s) {
                SyntaxException x = s.getCause();
                sb.append(scriptFile).append(':').append(x.getLine()).append(':').append(x.getStartColumn()).append(": ")
                        .append(firstLine(x.getOriginalMessage()));
            } else {
                java.io.StringWriter w = new java.io.StringWriter();
                m.write(new java.io.PrintWriter(w));
                sb.append(scriptFile).append(": ").append(w.toString().trim());
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "syntax error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
