package dev.hutch.dsl.shell;

import jline.Terminal;
import jline.console.ConsoleReader;
import jline.console.UserInterruptException;
import jline.console.history.FileHistory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A terminal line reader (JLine 2, the version groovysh 4 ships with): line editing, tab completion
 * from {@link ShellCompleter}, and history kept in {@code ~/.hutch_history} (the caller's HOME).
 */
final class JLineSource implements LineSource {
    private final ConsoleReader reader;
    private final FileHistory history;
    /** The caller's terminal this source set up, to restore; null for JLine's own (/dev/tty). */
    private final Terminal callerTerminal;
    private final Path device;

    private JLineSource(ConsoleReader reader, Terminal callerTerminal, Path device, ShellCompleter completer, Path historyFile) throws IOException {
        this.reader = reader;
        this.callerTerminal = callerTerminal;
        this.device = device;
        reader.setExpandEvents(false); // '!' is Groovy's not, not a history event
        // Ctrl-C while typing is a key, not SIGINT: it cancels the line (JLine takes the terminal's
        // intr character away while it reads and gives it back for the evaluation, where Ctrl-C
        // is a signal again, which the shell turns into stopping what runs).
        reader.setHandleUserInterrupt(true);
        reader.addCompleter(completer);
        reader.setCompletionHandler(new jline.console.completer.CandidateListCompletionHandler() {
            @Override
            public boolean complete(ConsoleReader r, java.util.List<CharSequence> candidates, int pos) throws IOException {
                // a directory completed inside a path: the user goes on typing into it, no space
                setPrintSpaceAfterFullCompletion(!(candidates.size() == 1 && candidates.get(0).toString().endsWith("/")));
                return super.complete(r, candidates, pos);
            }
        });
        history = new FileHistory(historyFile.toFile());
        history.setMaxSize(1000);
        reader.setHistory(history);
    }

    /**
     * Without a device, JLine's own terminal: this process's /dev/tty, set up once and restored
     * when the JVM exits (hutch in-process). With one, that terminal, set up now and restored by
     * {@link #close()} (the engine service, which outlives the call).
     */
    static JLineSource open(ShellTerminal t, InputStream in, OutputStream out, ShellCompleter completer) throws IOException {
        if (t.device() == null) return new JLineSource(new ConsoleReader(in, out), null, null, completer, t.historyFile());
        Terminal terminal = CallerTerminal.open(t.device(), t.type());
        try {
            return new JLineSource(new ConsoleReader("hutch", in, out, terminal), terminal, t.device(), completer, t.historyFile());
        } catch (IOException | RuntimeException e) {
            CallerTerminal.restore(terminal, t.device());
            throw e;
        }
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            return CANCELLED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * hutch runs as root (sudo, or the engine service for every caller), the history file is in
     * the caller's HOME: it belongs to whoever owns that directory, not to root.
     */
    private static void ownedLikeItsDirectory(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !java.nio.file.Files.exists(file)) return;
        var owner = java.nio.file.Files.getOwner(dir);
        if (!owner.equals(java.nio.file.Files.getOwner(file))) java.nio.file.Files.setOwner(file, owner);
    }

    @Override
    public java.util.List<String> history() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (jline.console.history.History.Entry e : history) out.add(e.value().toString());
        return out;
    }

    @Override
    public void close() {
        try {
            history.flush();
            ownedLikeItsDirectory(history.getFile().toPath());
        } catch (IOException ignored) {
            // history is a convenience; losing it is not an error
        }
        reader.shutdown();
        if (callerTerminal != null) CallerTerminal.restore(callerTerminal, device);
    }
}
