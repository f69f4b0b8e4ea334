package dev.hutch.dsl.shell;

import jline.console.ConsoleReader;
import jline.console.history.FileHistory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A terminal line reader (JLine 2, the version groovysh 4 ships with): line editing, tab completion
 * from {@link ShellCompleter}, and history kept in {@code ~/.hutch_history}.
 */
final class JLineSource implements LineSource {
    private final ConsoleReader reader;
    private final FileHistory history;

    JLineSource(InputStream in, OutputStream out, ShellCompleter completer, File historyFile) throws IOException {
        reader = new ConsoleReader(in, out);
        reader.setExpandEvents(false); // '!' is Groovy's not, not a history event
        reader.addCompleter(completer);
        history = new FileHistory(historyFile);
        history.setMaxSize(1000);
        reader.setHistory(history);
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            history.flush();
        } catch (IOException ignored) {
            // history is a convenience; losing it is not an error
        }
        reader.shutdown();
    }
}
