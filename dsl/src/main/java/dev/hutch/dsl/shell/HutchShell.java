package dev.hutch.dsl.shell;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.Sandbox;
import dev.hutch.dsl.ScriptErrors;
import dev.hutch.dsl.ScriptExit;
import dev.hutch.dsl.ScriptRunner;
import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.engine.Engine;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;

import java.io.InputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code hutch shell}: a JShell-style REPL on {@link GroovyShell} with the DSL's base class, so
 * every word of a sandbox script works here, plus the engine's verbs ({@code ps()}, {@code logs 'web'},
 * {@code stats 'web'}, {@code run 'busybox', 'echo', 'hi'}) and the shell's own commands
 * ({@link ShellCommands}: {@code :vars}, {@code :save}, {@code :doc} ...).
 *
 * <p>Why not groovysh itself: groovysh 4 is bound to JLine 2 and its own terminal set-up, which
 * does not work with piped input; this loop reads from JLine on a terminal (editing, completion,
 * history in {@code ~/.hutch_history}) and plain lines otherwise, and evaluates the same way in
 * both, so the piped mode the tests drive is the real shell.
 *
 * <p>Containers started in the session are removed when it ends (unless kept), as for a script.
 */
public final class HutchShell {
    static final String SOURCE = "shell";
    private static final String PROMPT = "hutch> ", MORE = "  ...> ";

    private final Supplier<Engine> engine;
    private final Path cwd;
    private final InputStream in;
    final PrintStream out;
    final PrintStream err;
    private final ShellTerminal terminal;
    private final boolean debug;
    final SessionLog log = new SessionLog();
    /** The lines read in this session, for {@code :history} without a line editor. */
    final List<String> typed = new ArrayList<>();
    /** The thread evaluating a snippet now, or null at the prompt: what Ctrl-C interrupts. */
    private volatile Thread evaluating;
    private volatile Sandbox sandbox;
    private Binding binding;
    private GroovyShell groovy;
    private LineSource lines;
    /** The earlier lines of the snippet being typed, for completion inside a block opened above. */
    private volatile String pendingText = "";

    /**
     * @param cwd      the caller's working directory: relative bind-mount sources resolve against it
     * @param terminal the caller's terminal, or {@link ShellTerminal#none()} for plain lines
     */
    public HutchShell(Supplier<Engine> engine, Path cwd, InputStream in, PrintStream out, PrintStream err,
                      ShellTerminal terminal, boolean debug) {
        this.engine = engine;
        this.cwd = cwd;
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.debug = debug;
    }

    /** The shell on plain lines (piped input), relative paths against this process's directory. */
    public static HutchShell plain(Supplier<Engine> engine, InputStream in, PrintStream out, PrintStream err, boolean debug) {
        return new HutchShell(engine, Path.of("").toAbsolutePath(), in, out, err, ShellTerminal.none(), debug);
    }

    /** @return the exit code: 0, or the code given to {@code exit N} */
    public int run() {
        fresh();
        // Ctrl-C or a kill ends the JVM: the hook takes down what the session made (the current sandbox)
        Thread cleanup = new Thread(() -> sandbox.close(), "hutch-shell-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ShellCommands commands = new ShellCommands(this);
        int code = 0;
        try (LineSource source = open()) {
            lines = source;
            if (isTerminal()) out.println("hutch shell: the sandbox DSL and ps(), logs 'NAME', stats 'NAME', run 'busybox', 'echo', 'hi'. :help, :exit");
            Snippet snippet = new Snippet();
            String line;
            while ((line = source.readLine(snippet.isEmpty() ? PROMPT : MORE)) != null) {
                if (line == LineSource.CANCELLED) { // Ctrl-C while typing: that snippet is dropped
                    snippet.clear();
                    pendingText = "";
                    continue;
                }
                if (!line.isBlank()) typed.add(line);
                String cmd = line.trim();
                if (snippet.isEmpty() && (cmd.equals("exit") || cmd.equals("quit"))) break;
                if (snippet.isEmpty() && cmd.startsWith(":")) {
                    Integer exit = commands.run(cmd);
                    out.flush();
                    if (exit != null) { code = exit; break; }
                    continue;
                }
                if (snippet.isEmpty() && cmd.isEmpty()) continue;
                snippet.add(line);
                pendingText = snippet.text();
                if (!snippet.isComplete()) continue;
                Integer exit = evaluate(snippet, true);
                snippet.clear();
                pendingText = "";
                if (exit != null) { code = exit; break; }
            }
            // the end of piped input inside an unfinished snippet: evaluate it, so its error shows
            if (line == null && !snippet.isEmpty()) {
                Integer exit = evaluate(snippet, true);
                if (exit != null) code = exit;
            }
        } finally {
            out.flush();
            sandbox.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already
            }
        }
        return code;
    }

    /** A new session: its own sandbox and variables (at the start, and for {@code :reset}). */
    void fresh() {
        Sandbox sb = new Sandbox(engine, SOURCE, cwd, err);
        Binding b = new Binding();
        b.setVariable(HutchScript.SANDBOX, sb);
        b.setVariable("out", out);
        binding = b;
        groovy = new GroovyShell(HutchShell.class.getClassLoader(), b, ScriptRunner.compilerConfiguration());
        sandbox = sb;
    }

    Sandbox sandbox() { return sandbox; }

    Binding binding() { return binding; }

    /** The lines kept in the history file (and this session's), or null without a line editor. */
    List<String> history() { return lines == null ? null : lines.history(); }

    /**
     * Evaluates one complete snippet and prints its result (when {@code showResult}) or its error;
     * a snippet that evaluated is logged for {@code :list} and {@code :save}.
     *
     * @return the code of an {@code exit N}, else null
     */
    Integer evaluate(Snippet snippet, boolean showResult) {
        evaluating = Thread.currentThread();
        String code = snippet.code();
        try {
            Object result = groovy.evaluate(code, SOURCE);
            // nothing to show for null (println, assignments of null) or an empty log
            boolean shown = showResult && result != null && !"".equals(result);
            if (shown) out.println(result);
            log.add(snippet.text(), code, shown);
        } catch (Throwable t) {
            if (unwrapExit(t) instanceof ScriptExit exit) return exit.code();
            new ScriptErrors(SOURCE, err, debug).report(t);
        } finally {
            evaluating = null;
            Thread.interrupted(); // a Ctrl-C that came as the evaluation ended must not hit the next read
            out.flush();
        }
        return null;
    }

    /**
     * The caller pressed Ctrl-C (SIGINT, delivered by the CLI). During a {@code run()} it stops that
     * container, and only it, so {@code run()} returns its outcome; during other evaluations it
     * interrupts them. The shell stays either way.
     *
     * @return false at the prompt of a shell without a line editor (the signal then ends the shell,
     *         as it would end any program reading plain lines); true when it was dealt with
     */
    public boolean interrupt() {
        Thread t = evaluating;
        if (t == null) return isTerminal(); // JLine reads Ctrl-C as a key at its prompt
        Sandbox sb = sandbox;
        ContainerHandle running = sb == null ? null : sb.foreground();
        if (running != null) {
            Thread stop = new Thread(() -> stopForeground(running), "hutch-shell-ctrl-c");
            stop.setDaemon(true);
            stop.start();
        } else {
            t.interrupt();
        }
        return true;
    }

    /** SIGINT to the container, as Ctrl-C would reach a foreground process; SIGKILL if it ignores it. */
    private void stopForeground(ContainerHandle c) {
        try {
            c.kill("INT");
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
            while (c.isRunning() && System.nanoTime() < deadline) Thread.sleep(50);
            if (c.isRunning()) c.kill("KILL");
        } catch (RuntimeException | InterruptedException e) {
            // it ended meanwhile: run() returns its outcome
        }
    }

    private static Throwable unwrapExit(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof ScriptExit) return c;
        return t;
    }

    boolean isTerminal() { return terminal.interactive(); }

    /** A path the user typed, against the caller's directory. */
    Path resolve(String file) { return cwd.resolve(file); }

    /** Where the history is kept, or null (plain lines keep none). */
    Path historyFile() { return terminal.historyFile(); }

    private LineSource open() {
        if (!isTerminal()) return LineSource.plain(in);
        try {
            ShellCompleter completer = new ShellCompleter(() -> binding, WorldNames.of(() -> sandbox.engine()), cwd, () -> pendingText);
            return JLineSource.open(terminal, in, out, completer);
        } catch (IOException | RuntimeException | LinkageError e) {
            err.println("hutch shell: no line editing (" + e.getMessage() + "); reading plain lines");
            return LineSource.prompting(in, out);
        }
    }
}
