package dev.hutch.cli;

import dev.hutch.runtime.ChildStdio;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one call of hutch gets from its caller: the environment, the working directory, the three
 * standard streams (and whether each is a terminal), how helper processes get that stdio, and
 * the signals the caller receives. In-process these are this JVM's own; in the engine service
 * they are one request's (its passed fds, its env and cwd, its forwarded signals), so many calls
 * can run in one JVM at once without seeing each other's.
 *
 * @param env       the caller's environment ({@code -e VAR} copies from it; HUTCH_* configure the engine)
 * @param cwd       the caller's working directory: relative paths the user gives resolve against it
 * @param children  how the engine starts the native helper: the caller's stdio and environment
 * @param signals   the caller's INT, QUIT, HUP, TERM, WINCH, for a foreground child
 * @param umask     the caller's umask for the files hutch writes for it (save -o, export -o), or
 *                  {@link #OWN_UMASK}: this process's own applies (in-process, it is the caller's)
 * @param terminalDevice the device of the caller's terminal on stdin (e.g. /dev/pts/3), for what
 *                  drives it by path (the shell's line editor runs stty on it); null in-process,
 *                  where the caller's terminal is this process's own /dev/tty
 */
public record Invocation(Map<String, String> env, Path cwd, InputStream in, PrintStream out, PrintStream err,
                         boolean stdinIsTerminal, boolean stdoutIsTerminal, boolean stderrIsTerminal,
                         ChildStdio children, CallerSignals signals, int umask, Path terminalDevice) {
    public static final int OWN_UMASK = -1;

    public Invocation {
        env = Map.copyOf(env);
        if (!cwd.isAbsolute()) throw new IllegalArgumentException("cwd must be absolute: " + cwd);
    }

    /** This JVM's own: System.in/out/err, System.getenv(), user.dir, inherited stdio, process-wide signal handlers. */
    public static Invocation inProcess() {
        return new Invocation(System.getenv(), Path.of(System.getProperty("user.dir")), System.in, System.out, System.err,
                Terminal.isTerminal(0), Terminal.isTerminal(1), Terminal.isTerminal(2),
                ChildStdio.inherited(), CallerSignals.processWide(), OWN_UMASK, null);
    }

    /** The same call with other output streams (tests capture them): those are not terminals. */
    public Invocation withOutput(PrintStream out, PrintStream err) {
        return new Invocation(env, cwd, in, out, err, stdinIsTerminal, false, false, children, signals, umask, terminalDevice);
    }
}
