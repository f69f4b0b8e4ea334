package dev.hutch.junit5;

import dev.hutch.NotFoundException;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.spec.ContainerSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every container this JVM's extension started and has not removed yet, so that a JVM that ends
 * early (Ctrl-C, SIGTERM from a CI timeout, System.exit in a test) still removes them: a shutdown
 * hook takes whatever is left. All state is under this class's lock. A SIGKILL runs no hook at
 * all; what it leaves carries the {@link ContainerLabels} and {@code hutch rm -f} removes it
 * (docs/junit5.md).
 */
final class RunningContainers {
    private static final Object LOCK = new Object();
    /** id → what started it; guarded by LOCK. */
    private static final Map<String, HutchContainerRef.Running> LIVE = new LinkedHashMap<>();
    /** Starts under way: the hook waits for them, so a container made at the last moment is removed too. */
    private static int starting;
    private static boolean hookAdded, shuttingDown;
    /** How long the shutdown hook waits for starts under way. */
    private static final long HOOK_WAIT_MILLIS = 15_000;

    private RunningContainers() {}

    /** Runs the container detached and records it, or removes it at once if the JVM is shutting down meanwhile. */
    static HutchContainerRef.Running run(Engine engine, ContainerSpec spec, String field) {
        synchronized (LOCK) {
            if (shuttingDown) throw new IllegalStateException("the JVM is shutting down: container for " + field + " not started");
            if (!hookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(RunningContainers::removeAll, "hutch-junit5-cleanup"));
                hookAdded = true;
            }
            starting++;
        }
        Started started;
        try {
            started = engine.run(spec, true);
        } catch (RuntimeException | Error e) {
            synchronized (LOCK) {
                starting--;
                LOCK.notifyAll();
            }
            throw e; // a failed run has undone its own steps
        }
        HutchContainerRef.Running r = new HutchContainerRef.Running(engine, started.id(), started.name(), field);
        boolean late;
        synchronized (LOCK) {
            starting--;
            late = shuttingDown;
            if (!late) LIVE.put(r.id(), r);
            LOCK.notifyAll();
        }
        if (late) {
            removeQuietly(r);
            throw new IllegalStateException("the JVM is shutting down: container " + r.name() + " for " + field + " removed again");
        }
        return r;
    }

    /** Removes one container (killed first, anonymous volumes with it); one already gone is fine. */
    static void remove(HutchContainerRef.Running r) {
        try {
            r.engine().remove(r.id(), true, true);
        } catch (NotFoundException gone) {
            // removed by someone else (hutch rm -f): nothing left to do
        } finally {
            synchronized (LOCK) {
                LIVE.remove(r.id());
            }
        }
    }

    /** The ids this JVM still has running (for tests of the extension). */
    static List<String> live() {
        synchronized (LOCK) {
            return List.copyOf(LIVE.keySet());
        }
    }

    /** The shutdown hook: waits a little for starts under way, then removes everything left. */
    static void removeAll() {
        List<HutchContainerRef.Running> left;
        synchronized (LOCK) {
            shuttingDown = true;
            long until = System.currentTimeMillis() + HOOK_WAIT_MILLIS;
            while (starting > 0 && System.currentTimeMillis() < until) {
                try {
                    LOCK.wait(Math.max(1, until - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    break;
                }
            }
            left = new ArrayList<>(LIVE.values());
        }
        for (HutchContainerRef.Running r : left) {
            System.err.println("hutch-junit5: removing container " + r.name() + " (" + r.field() + ") as the JVM exits");
            removeQuietly(r);
        }
    }

    private static void removeQuietly(HutchContainerRef.Running r) {
        try {
            remove(r);
        } catch (RuntimeException e) {
            System.err.println("hutch-junit5: could not remove container " + r.name() + ": " + e.getMessage()
                    + " (remove it with: hutch rm -f " + r.id() + ")");
        }
    }
}
