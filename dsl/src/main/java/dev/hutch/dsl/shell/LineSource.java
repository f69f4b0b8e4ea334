package dev.hutch.dsl.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where the shell's lines come from: a terminal with line editing, or plain lines from a pipe. */
interface LineSource extends AutoCloseable {
    /** What {@link #readLine} returns when Ctrl-C cancelled the line being typed (compare with ==). */
    String CANCELLED = new String("^C");

    /** The next line, null at the end of input, or {@link #CANCELLED}. */
    String readLine(String prompt);

    @Override
    default void close() {}

    /** The lines of the history this source keeps, oldest first; null when it keeps none. */
    default java.util.List<String> history() { return null; }

    /**
     * The dumb mode: plain lines, no editing, no echo of the prompt (so piped output stays just the
     * results, which is what a test or a pipeline wants).
     */
    static LineSource plain(InputStream in) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return prompt -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Plain lines, with the prompt printed (a terminal without JLine). */
    static LineSource prompting(InputStream in, PrintStream out) {
        LineSource plain = plain(in);
        return prompt -> {
            out.print(prompt);
            out.flush();
            return plain.readLine(prompt);
        };
    }
}
