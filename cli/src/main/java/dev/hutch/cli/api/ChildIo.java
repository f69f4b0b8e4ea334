package dev.hutch.cli.api;

import dev.hutch.runtime.ChildStdio;
import dev.hutch.sys.Fds;
import dev.hutch.sys.PosixSpawn;

import java.util.Map;

/**
 * The stdio the API gives a foreground helper (a container's monitor, or an exec) in place of a
 * caller's terminal: the same {@link ChildStdio#of} the engine service uses for its clients' own
 * descriptors, here pipes (or a pty) whose other ends the API relays to hijacked connections.
 *
 * <p>Without a tty: a pipe each for stdout and stderr, and one for stdin if it is attached
 * (otherwise /dev/null). With a tty: one pty, its slave the helper's stdin, stdout and stderr;
 * the helper relays it to the container's own pty and copies its window size from it (so a
 * resize is a TIOCSWINSZ here and a SIGWINCH to the helper).
 */
final class ChildIo {
    final boolean tty;
    private final int childIn, childOut, childErr;
    /** Ours: where stdin goes (-1: none), where stdout and stderr come from (the pty master twice with a tty). */
    final int stdin, stdout, stderr;
    private boolean childEndsClosed, stdinClosed, closed;

    private ChildIo(boolean tty, int childIn, int childOut, int childErr, int stdin, int stdout, int stderr) {
        this.tty = tty;
        this.childIn = childIn;
        this.childOut = childOut;
        this.childErr = childErr;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ChildIo open(boolean tty, boolean withStdin) {
        if (tty) {
            Fds.Pty pty = Fds.openPty();
            return new ChildIo(true, pty.slave(), pty.slave(), pty.slave(), withStdin ? pty.master() : -1, pty.master(), -1);
        }
        int[] in = withStdin ? PosixSpawn.pipe() : new int[] {Fds.devNull(), -1};
        int[] out = PosixSpawn.pipe(), err = PosixSpawn.pipe();
        return new ChildIo(false, in[0], out[1], err[1], in[1], out[0], err[0]);
    }

    ChildStdio stdio(Map<String, String> env) { return ChildStdio.of(childIn, childOut, childErr, env); }

    /** After the spawn: the child has its copies; ours would keep the output from ever ending. */
    synchronized void closeChildEnds() {
        if (childEndsClosed) return;
        childEndsClosed = true;
        Fds.close(childIn);
        if (childOut != childIn) Fds.close(childOut);
        if (childErr != childOut) Fds.close(childErr);
    }

    /** Bytes for the command's stdin; false once it is closed (no descriptor is ever written after its close). */
    synchronized boolean writeStdin(byte[] b, int len) {
        if (stdin < 0 || stdinClosed || closed) return false;
        Fds.write(stdin, b, len);
        return true;
    }

    /** The end of the attached stdin: the command reads end of file (a pty's stays, as docker's does). */
    synchronized void closeStdin() {
        if (tty || stdin < 0 || stdinClosed || closed) return;
        stdinClosed = true;
        Fds.close(stdin);
    }

    void resize(int rows, int columns) {
        if (tty) Fds.setWindowSize(stdout, rows, columns);
    }

    /** Everything, once the output ended. */
    synchronized void close() {
        closeChildEnds();
        if (closed) return;
        closed = true;
        if (!tty && stdin >= 0 && !stdinClosed) Fds.close(stdin);
        Fds.close(stdout);
        if (stderr >= 0) Fds.close(stderr);
    }
}
