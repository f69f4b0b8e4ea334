package dev.hutch.cli.api;

import dev.hutch.sys.Fds;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Relays one foreground helper's stdio ({@link ChildIo}) to the hijacked connections attached to
 * it: every piece of output to each session that asked for that stream, and each session's
 * stdin (when it asked for it) to the command. A session's half-close of its stdin is the
 * command's end of file. The owner ends the sessions ({@link #finish}) once the output ended and
 * the exit code is known, so a client that reads the code after the stream ends finds it.
 */
final class StreamHub {
    /** One attached connection; {@link #awaitDone} returns when the hub ended it. */
    static final class Session {
        final Hijack conn;
        final boolean stdin, stdout, stderr;
        /** Read from this session's stdin (an attach with a tty): typed, they end the session and leave the container running. */
        volatile dev.hutch.cli.commands.DetachKeys detachKeys;
        private final CountDownLatch done = new CountDownLatch(1);

        Session(Hijack conn, boolean stdin, boolean stdout, boolean stderr) {
            this.conn = conn;
            this.stdin = stdin;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        void finish() {
            conn.closeOutput();
            done.countDown();
        }

        void awaitDone() throws InterruptedException { done.await(); }
    }

    private final ChildIo io;
    private final Process helper;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final CountDownLatch outputEnded;
    private boolean finished; // guarded by this

    StreamHub(ChildIo io, Process helper) {
        this.io = io;
        this.helper = helper;
        this.outputEnded = new CountDownLatch(io.tty ? 1 : 2);
    }

    Process helper() { return helper; }

    ChildIo io() { return io; }

    /** Starts copying the output (call once, after the first sessions joined: none of it is lost to them). */
    void start() {
        pump(io.stdout, io.tty ? Hijack.RAW : Hijack.STDOUT);
        if (!io.tty) pump(io.stderr, Hijack.STDERR);
    }

    /** Adds a session (a late one gets the output from now on); one joining an ended hub ends at once. */
    void join(Session s) {
        boolean added;
        synchronized (this) {
            added = !finished && sessions.add(s);
        }
        if (!added) {
            s.finish();
            return;
        }
        if (s.stdin && io.stdin >= 0) daemon("hutch-api-stdin", () -> relayStdin(s));
    }

    private void relayStdin(Session s) {
        byte[] buf = new byte[32 * 1024];
        try {
            int n;
            while ((n = s.conn.in().read(buf)) > 0) {
                dev.hutch.cli.commands.DetachKeys keys = s.detachKeys;
                if (keys == null) {
                    if (!io.writeStdin(buf, n)) return;
                    continue;
                }
                java.io.ByteArrayOutputStream pass = new java.io.ByteArrayOutputStream();
                int ok = keys.feed(buf, n, pass);
                if (pass.size() > 0 && !io.writeStdin(pass.toByteArray(), pass.size())) return;
                if (ok < 0) { // detached: this client's stream ends, the container runs on
                    sessions.remove(s);
                    s.finish();
                    return;
                }
            }
            if (n < 0) io.closeStdin(); // the client's half-close: docker's end of stdin
        } catch (IOException | RuntimeException e) {
            // the connection closed, or the command's stdin is gone: nothing more to pass on
        }
    }

    private void pump(int fd, int stream) {
        daemon("hutch-api-output", () -> {
            byte[] buf = new byte[32 * 1024];
            try {
                int n;
                while ((n = Fds.read(fd, buf)) > 0) {
                    for (Session s : sessions) {
                        if (stream == Hijack.STDERR ? !s.stderr : !s.stdout) continue;
                        try {
                            s.conn.write(stream, buf, n);
                        } catch (IOException e) {
                            sessions.remove(s); // that client went away; the others go on
                            s.finish();
                        }
                    }
                }
            } catch (RuntimeException e) {
                DockerApiServer.log("reading a container's output: " + e.getMessage());
            } finally {
                outputEnded.countDown();
            }
        });
    }

    void awaitOutputEnd() throws InterruptedException { outputEnded.await(); }

    /** Ends every session (the clients see end of file) and closes the descriptors. */
    void finish() {
        synchronized (this) {
            if (finished) return;
            finished = true;
        }
        for (Session s : sessions) s.finish();
        sessions.clear();
        io.close();
    }

    static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
