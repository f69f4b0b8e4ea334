package dev.hutch.runtime;

import dev.hutch.sys.PosixSpawn;
import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child started by {@link PosixSpawn}, as a {@link Process}: the same exit codes as Java's own
 * (the code, or 128+N for signal N), waits from any thread, {@link #destroy} = SIGTERM and
 * {@link #destroyForcibly} = SIGKILL. Its stdio is descriptors the caller gave, so its streams
 * are empty.
 *
 * <p>One reaper thread per child waits for it to end without reaping (waitid WNOWAIT), then,
 * under the same lock destroy() takes, reaps it exactly once: a signal is never sent to a pid
 * that was reaped (and could already be someone else's).
 */
final class SpawnedProcess extends Process {
    private final int pid;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this

    SpawnedProcess(int pid) {
        this.pid = pid;
        Thread reaper = new Thread(null, this::reap, "hutch-reaper-" + pid, 256 * 1024);
        reaper.setDaemon(true);
        reaper.start();
    }

    private void reap() {
        int code;
        try {
            PosixSpawn.awaitExit(pid);
            synchronized (this) {
                code = PosixSpawn.reap(pid);
                reaped = true;
            }
        } catch (RuntimeException e) {
            exit.completeExceptionally(e);
            return;
        }
        exit.complete(code);
    }

    @Override
    public long pid() { return pid; }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + pid + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (exit.isDone()) return true;
        if (timeout <= 0) return false;
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // it ended; the wait itself failed
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) throw new IllegalThreadStateException("process " + pid + " has not exited");
        return exit.join();
    }

    @Override
    public boolean isAlive() { return !exit.isDone(); }

    @Override
    public void destroy() { signal(Signals.SIGTERM); }

    @Override
    public Process destroyForcibly() {
        signal(Signals.SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() { return true; }

    /** Sends a signal while this child is not reaped yet (so its pid cannot have been reused); else nothing. */
    synchronized void signal(int signo) {
        if (reaped) return;
        try {
            Syscalls.jna().kill(pid, signo); // not reaped: the pid is still this child's (perhaps a zombie)
        } catch (SyscallException e) {
            if (e.errno() != SyscallException.ESRCH) throw e;
        }
    }

    @Override
    public CompletableFuture<Process> onExit() { return exit.handle((c, e) -> (Process) this); }

    @Override
    public ProcessHandle toHandle() {
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " was reaped"));
    }

    @Override
    public OutputStream getOutputStream() { return OutputStream.nullOutputStream(); }

    @Override
    public InputStream getInputStream() { return InputStream.nullInputStream(); }

    @Override
    public InputStream getErrorStream() { return InputStream.nullInputStream(); }

    @Override
    public String toString() { return "SpawnedProcess[pid=" + pid + (exit.isDone() && !exit.isCompletedExceptionally() ? ", exitValue=" + exit.join() : "") + "]"; }
}
