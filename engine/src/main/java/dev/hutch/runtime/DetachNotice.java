package dev.hutch.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The sync channel of a foreground run with detach keys, kept open after {@code started}: the
 * monitor writes {@code detached} on it when its caller typed the keys (and runs on, detached),
 * or closes it by exiting when the container ended (docs/helper-protocol.md, "Sync").
 */
public final class DetachNotice {
    /** How long the notice may still be on its way once the monitor is seen gone. */
    private static final long LATE_NOTICE_MS = 500;

    private final BufferedReader in;

    DetachNotice(BufferedReader in) { this.in = in; }

    /**
     * Waits until the monitor either detached (true) or exited (false). The monitor's exit ends
     * the wait even if some process it forked still holds the channel's write end.
     */
    public boolean awaitDetachOrExit(Process monitor) throws InterruptedException {
        CompletableFuture<Boolean> detached = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (in) {
                detached.complete("detached".equals(in.readLine()));
            } catch (IOException e) {
                detached.complete(false);
            }
        }, "hutch-detach-notice");
        reader.setDaemon(true);
        reader.start();
        try {
            CompletableFuture.anyOf(detached, monitor.onExit()).get();
        } catch (ExecutionException e) {
            // the monitor's exit could not be waited for: its notice decides, below
        }
        if (!detached.isDone()) reader.join(LATE_NOTICE_MS); // a "detached" written just before it exited
        return detached.getNow(false);
    }
}
