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

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code hutch shell}: a JShell-style REPL on {@link GroovyShell} with the DSL's base class, so
 * every word of a sandbox script works here, plus the engine's verbs ({@code ps()}, {@code logs 'web'},
 * {@code stats 'web'}, {@code run 'busybox', 'echo', 'hi'}).
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
    private final PrintStream out;
    private final PrintStream err;
    private final ShellTerminal terminal;
    private final boolean debug;
    /** The thread evaluating a snippet now, or null at the prompt: what Ctrl-C interrupts. */
    private volatile Thread evaluating;
    private volatile Sandbox sandbox;

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
        Sandbox sandbox = new Sandbox(engine, SOURCE, cwd, err);
        this.sandbox = sandbox;
        Thread cleanup = new Thread(sandbox::close, "hutch-shell-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Binding binding = new Binding();
        binding.setVariable(HutchScript.SANDBOX, sandbox);
        binding.setVariable("out", out);
        GroovyShell groovy = new GroovyShell(HutchShell.class.getClassLoader(), binding, ScriptRunner.compilerConfiguration());
        ScriptErrors errors = new ScriptErrors(SOURCE, err, debug);
        int code = 0;
        try (LineSource lines = open(binding, sandbox)) {
            if (isTerminal()) out.println("hutch shell: the sandbox DSL and ps(), logs 'NAME', stats 'NAME', run 'busybox', 'echo', 'hi'. :help, :exit");
            Snippet snippet = new Snippet();
            String line;
            while ((line = lines.readLine(snippet.isEmpty() ? PROMPT : MORE)) != null) {
                if (line == LineSource.CANCELLED) { // Ctrl-C while typing: that snippet is dropped
                    snippet.clear();
                    continue;
                }
                String cmd = line.trim();
                if (snippet.isEmpty() && (cmd.equals(":exit") || cmd.equals(":quit") || cmd.equals(":q") || cmd.equals("exit") || cmd.equals("quit"))) break;
                if (snippet.isEmpty() && cmd.equals(":help")) { out.println(HELP); continue; }
                if (snippet.isEmpty() && cmd.isEmpty()) continue;
                snippet.add(line);
                if (!snippet.isComplete()) continue;
                String code0 = snippet.code();
                snippet.clear();
                Integer exit = evaluate(groovy, code0, errors);
                if (exit != null) { code = exit; break; }
            }
            // the end of piped input inside an unfinished snippet: evaluate it, so its error shows
            if (line == null && !snippet.isEmpty()) {
                Integer exit = evaluate(groovy, snippet.code(), errors);
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

    /** Evaluates one snippet and prints its result or its error; the code of an {@code exit N}, else null. */
    private Integer evaluate(GroovyShell groovy, String code, ScriptErrors errors) {
        evaluating = Thread.currentThread();
        try {
            Object result = groovy.evaluate(code, SOURCE);
            // nothing to show for null (println, assignments of null) or an empty log
            if (result != null && !"".equals(result)) out.println(result);
        } catch (Throwable t) {
            if (unwrapExit(t) instanceof ScriptExit exit) return exit.code();
            errors.report(t);
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

    private boolean isTerminal() { return terminal.interactive(); }

    private LineSource open(Binding binding, Sandbox sandbox) {
        if (!isTerminal()) return LineSource.plain(in);
        try {
            ShellCompleter completer = new ShellCompleter(binding, () -> sandbox.engine().list(true));
            return JLineSource.open(terminal, in, out, completer);
        } catch (IOException | RuntimeException | LinkageError e) {
            err.println("hutch shell: no line editing (" + e.getMessage() + "); reading plain lines");
            return LineSource.prompting(in, out);
        }
    }

    static final String HELP = """
            The sandbox DSL (see docs/dsl.md), and:
              ps()                      running containers (ps all: true for all)
              logs 'web'                its output so far
              stats 'web'               cpu, memory, pids
              exec 'web', 'ls', '/'     a command in a running container
              run 'busybox', 'echo', 'hi'   a throwaway container, run to its end
              stop 'web'; rm 'web'      stop, remove
              def web = container('web') { image 'busybox'; command 'sleep', '1000' }.start()
            Containers started here are removed when the shell ends unless kept (web.keep()).
            :exit (or Ctrl-D) to leave.""";
}
