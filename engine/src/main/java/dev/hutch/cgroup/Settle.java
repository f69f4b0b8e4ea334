package dev.hutch.cgroup;

import java.util.function.BooleanSupplier;

/**
 * Polls until a cgroup reaches a state the kernel reaches asynchronously (frozen, empty, removable).
 * Short sleeps that grow: most states settle within a millisecond or two.
 */
public final class Settle {
    private Settle() {}

    /** @return true if {@code done} became true before the timeout */
    public static boolean until(long timeoutMillis, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long sleep = 1;
        while (true) {
            if (done.getAsBoolean()) return true;
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep = Math.min(sleep * 2, 50);
        }
    }
}
