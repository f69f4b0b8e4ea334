package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.util.AtomicFiles;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts the native helper's monitor for one container and speaks the sync protocol with it over
 * two FIFOs the helper makes in the container's state dir (docs/helper-protocol.md):
 * {@code pid N} → the caller's {@link PidHook} (record the pid, wire the network) → {@code go} →
 * {@code started} or {@code error CODE MESSAGE}.
 *
 * <p>Not the helper's stdio, because in a foreground run that is the user's terminal, passed
 * straight through to the container; and FIFOs rather than a unix socket, because the JDK's first
 * unix socket costs a short {@code run} tens of milliseconds of SecureRandom and class set-up.
 */
public final class ContainerLauncher {
    /** The FIFOs' name in the state dir: {@code sync.in} (engine → helper), {@code sync.out}. */
    public static final String SYNC = "sync";

    /** How long the helper may take to connect, and to exec the command after {@code go}. */
    private static final long CONNECT_TIMEOUT_MS = 15_000;

    /** Runs while init waits; throwing aborts the start (the helper kills init). */
    @FunctionalInterface
    public interface PidHook {
        void onPid(long initPid, long monitorPid) throws Exception;
    }

    /** Runs right after the helper process is spawned, before it connects: record its pid. */
    @FunctionalInterface
    public interface SpawnHook {
        void onSpawn(long monitorPid);
    }

    /**
     * A started container: the monitor process (the caller's child), init's host pid, and for a
     * foreground run with {@code detach_keys} the sync channel on which the monitor says
     * {@code detached} (else null).
     */
    public record Launched(Process monitor, long initPid, DetachNotice detachNotice) {}

    private final Path helper;
    private final ChildStdio stdio;
    private final dev.hutch.config.CallerEnvironment caller;

    /**
     * @param stdio  where a foreground container's stdio comes from (the caller's), and how the
     *               helper is spawned
     * @param caller the caller's environment (its HUTCH_TRACE)
     */
    public ContainerLauncher(Path helper, ChildStdio stdio, dev.hutch.config.CallerEnvironment caller) {
        this.helper = helper;
        this.stdio = stdio;
        this.caller = caller;
    }

    public Launched launch(Path stateDir, LaunchFile launch, boolean detach, PidHook hook) {
        return launch(stateDir, launch, detach, pid -> {}, hook);
    }

    public Launched launch(Path stateDir, LaunchFile launch, boolean detach, SpawnHook spawned, PidHook hook) {
        Path launchPath = stateDir.resolve("launch");
        Path helperLog = stateDir.resolve("helper.log");
        Path fromHelper = stateDir.resolve(SYNC + ".out"), toHelper = stateDir.resolve(SYNC + ".in");
        try {
            // Read once by the helper right after this; it needs no fsync or rename.
            Files.writeString(launchPath, launch.render());
        } catch (IOException e) {
            throw new HutchException("cannot write " + launchPath + ": " + e.getMessage(), e);
        }
        dev.hutch.util.Trace.mark(caller, "launch file written");

        Process monitor = null;
        try {
            java.util.List<String> argv = java.util.List.of(helper.toString(), "run", launchPath.toString());
            monitor = detach ? stdio.startHelperDetached(argv, helperLog) : stdio.startHelperAttached(argv);
            dev.hutch.util.Trace.mark(caller, "helper spawned");
            spawned.onSpawn(monitor.pid());
            awaitFifo(fromHelper, monitor, helperLog);
            Watchdog watchdog = new Watchdog(monitor, fromHelper, toHelper);
            // Each open blocks until the helper opens the other end; the watchdog ends the wait
            // if the helper dies first.
            InputStream inStream = new FileInputStream(fromHelper.toFile());
            boolean keepListening = false; // a foreground run with detach keys: "detached" may follow "started"
            try (OutputStream out = new FileOutputStream(toHelper.toFile())) {
                watchdog.connected();
                BufferedReader in = new BufferedReader(new InputStreamReader(inStream, StandardCharsets.UTF_8));
                dev.hutch.util.Trace.mark(caller, "helper connected");
                long pid = parsePid(expectLine(in, monitor, helperLog, "pid"));
                dev.hutch.util.Trace.mark(caller, "helper sent pid");
                try {
                    hook.onPid(pid, monitor.pid());
                } catch (Exception e) {
                    send(out, "abort");
                    monitor.waitFor(5, TimeUnit.SECONDS);
                    throw e instanceof HutchException he ? he
                            : new HutchException("cannot start the container: " + e.getMessage(), e);
                }
                send(out, "go");
                String result = expectLine(in, monitor, helperLog, "started");
                if (result.startsWith("error ")) throw helperError(result, monitor);
                keepListening = !detach && launch.has("detach_keys");
                return new Launched(monitor, pid, keepListening ? new DetachNotice(in) : null);
            } finally {
                if (!keepListening) inStream.close();
            }
        } catch (IOException e) {
            if (monitor != null) monitor.destroyForcibly();
            throw new HutchException("cannot talk to the native helper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while starting the container", e);
        } catch (RuntimeException e) {
            if (monitor != null && monitor.isAlive() && !(e instanceof HutchException)) monitor.destroyForcibly();
            throw e;
        } finally {
            try {
                Files.deleteIfExists(fromHelper);
                Files.deleteIfExists(toHelper);
            } catch (IOException ignored) {
                // the state dir goes with the container
            }
        }
    }

    /**
     * Waits for the helper to make its FIFOs ("out" is made last), looking every 100 µs: the wait
     * is a few milliseconds of the helper's start, and a millisecond's poll added half of one to
     * every run on average (a stat costs microseconds).
     */
    private static void awaitFifo(Path fifo, Process monitor, Path helperLog) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MS;
        while (!Files.exists(fifo)) {
            if (!monitor.isAlive()) throw helperDied(monitor, helperLog);
            if (System.currentTimeMillis() > deadline) {
                monitor.destroyForcibly();
                throw new HutchException("the native helper did not connect within " + CONNECT_TIMEOUT_MS / 1000 + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    private static final long POLL_NANOS = 100_000;

    /**
     * Ends the engine's blocking FIFO opens if the helper dies before it opened its ends: opening
     * a FIFO read-write never blocks on Linux and counts as the missing peer, so the pending open
     * returns and the next read sees end-of-file.
     */
    private static final class Watchdog extends Thread {
        private final Process monitor;
        private final Path fromHelper, toHelper;
        private volatile boolean connected;

        Watchdog(Process monitor, Path fromHelper, Path toHelper) {
            super("hutch-sync-watchdog");
            this.monitor = monitor;
            this.fromHelper = fromHelper;
            this.toHelper = toHelper;
            setDaemon(true);
            start();
        }

        void connected() { connected = true; }

        @Override
        public void run() {
            try {
                while (!connected && monitor.isAlive()) Thread.sleep(5);
                if (connected) return;
                for (Path fifo : new Path[] {fromHelper, toHelper}) {
                    if (Files.exists(fifo)) new java.io.RandomAccessFile(fifo.toFile(), "rw").close();
                }
            } catch (IOException | InterruptedException ignored) {
                // nothing more to unblock
            }
        }
    }

    private static String expectLine(BufferedReader in, Process monitor, Path helperLog, String what)
            throws IOException, InterruptedException {
        String line = in.readLine();
        if (line == null) {
            monitor.waitFor(5, TimeUnit.SECONDS);
            throw helperDied(monitor, helperLog);
        }
        if (line.startsWith("error ")) throw helperError(line, monitor);
        if (!line.startsWith(what)) throw new HutchException("the native helper said \"" + line + "\" where \"" + what + "\" was expected");
        return line;
    }

    private static HutchException helperError(String line, Process monitor) throws InterruptedException {
        // "error <code> <message>"
        String rest = line.substring(6);
        int sp = rest.indexOf(' ');
        int code = HutchException.ENGINE_FAILURE;
        String msg = rest;
        try {
            code = Integer.parseInt(sp < 0 ? rest : rest.substring(0, sp));
            msg = sp < 0 ? "" : rest.substring(sp + 1);
        } catch (NumberFormatException ignored) {
            // keep the whole text as the message
        }
        monitor.waitFor(5, TimeUnit.SECONDS);
        return new HutchException(code, msg, null);
    }

    private static HutchException helperDied(Process monitor, Path helperLog) {
        String log = Files.exists(helperLog) ? AtomicFiles.readOrNull(helperLog) : null;
        String detail = log == null || log.isBlank() ? "" : ": " + log.strip();
        String code = monitor.isAlive() ? "" : " (exit " + monitor.exitValue() + ")";
        return new HutchException("the native helper stopped before the container started" + code + detail);
    }

    private static long parsePid(String line) {
        try {
            return Long.parseLong(line.substring(4).trim());
        } catch (RuntimeException e) {
            throw new HutchException("the native helper sent a bad pid line: \"" + line + "\"");
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
