package dev.hutch.cli.service;

import dev.hutch.cli.CallerSignals;
import dev.hutch.runtime.Signals;

/**
 * A request's signals: the client forwards SIGINT, SIGQUIT, SIGHUP, SIGTERM and SIGWINCH as 'S'
 * frames. With a foreground child (the helper's monitor of run/exec, nsenter of debug) they go to
 * it by its pid: the monitor re-reads the window size of its fd 0 on WINCH and passes the rest to
 * the container. Without one, a signal that would have ended an in-process hutch ends the request:
 * its thread is interrupted and its exit code is 128+N, as the shell would have seen.
 */
final class ForwardedSignals implements CallerSignals {
    static final int SIGWINCH = 28;

    private final Thread requestThread;
    private final Runnable onEnd;
    private volatile boolean kept;
    private volatile Process child;
    private volatile int endedBy;
    private volatile java.util.function.BooleanSupplier interruptHandler;
    private volatile Runnable windowHandler;

    /** @param onEnd run when a signal ends the call (the caller hears nothing more from it) */
    ForwardedSignals(Thread requestThread, Runnable onEnd) {
        this.requestThread = requestThread;
        this.onEnd = onEnd;
    }

    @Override public void keepForTheChild() { kept = true; }

    @Override public void forwardTo(Process child) { this.child = child; }

    @Override public void onInterrupt(java.util.function.BooleanSupplier handler) { this.interruptHandler = handler; }

    @Override public void onWindowChange(Runnable handler) { this.windowHandler = handler; }

    /** An 'S' frame arrived. */
    void deliver(int signo) {
        Process c = child;
        if (c != null && c.isAlive()) {
            Signals.send(c, signo);
            return;
        }
        if (signo == SIGWINCH) { // the command's own terminal to resize (hutch attach), or none
            Runnable onWinch = windowHandler;
            if (onWinch != null) onWinch.run();
            return;
        }
        java.util.function.BooleanSupplier onInt = interruptHandler;
        if (signo == Signals.SIGINT && onInt != null && onInt.getAsBoolean()) return; // the command dealt with it
        if (kept && (signo == Signals.SIGINT || signo == Signals.SIGQUIT)) return; // the child-to-be gets its own
        endedBy = signo;
        onEnd.run();
        requestThread.interrupt();
    }

    /** The signal that ended the request, or 0. */
    int endedBy() { return endedBy; }

}
