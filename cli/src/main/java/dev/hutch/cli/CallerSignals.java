package dev.hutch.cli;

/**
 * The signals hutch's caller receives while a command runs a foreground child (the helper's
 * monitor for run and exec, nsenter for debug). docker's sig-proxy behaviour: Ctrl-C and the
 * termination signals go to the child, which passes them on to the container, and hutch keeps
 * waiting for the exit code instead of dying of them.
 */
public interface CallerSignals {
    /** From now on the caller's INT and QUIT must not end this command: the foreground child will get them. */
    void keepForTheChild();

    /** The caller's signals go to this foreground child until the command ends. */
    void forwardTo(Process child);

    /**
     * The caller's Ctrl-C (SIGINT) goes to {@code handler} first, for the rest of the command: the
     * shell stops what it is evaluating and stays. When the handler returns false (nothing to
     * stop), the signal does what it would have done: end the command with 130.
     */
    void onInterrupt(java.util.function.BooleanSupplier handler);

    /** The caller's terminal changed size (SIGWINCH): {@code handler} runs each time, for the rest of the command. */
    void onWindowChange(Runnable handler);

    /** In-process: the JVM's own signal handlers (the terminal's process group reaches the child directly). */
    static CallerSignals processWide() {
        return new CallerSignals() {
            @Override public void keepForTheChild() { Terminal.keepSignalsForTheContainer(); }

            @Override public void forwardTo(Process child) { Terminal.forwardTerminationTo(child); }

            @Override public void onInterrupt(java.util.function.BooleanSupplier handler) { Terminal.onInterrupt(handler); }

            @Override public void onWindowChange(Runnable handler) { Terminal.onWindowChange(handler); }
        };
    }
}
