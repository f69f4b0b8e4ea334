package dev.hutch.engine;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.spec.RestartPolicy;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.StateStore;
import dev.hutch.util.ProcStat;

import java.time.Duration;

/**
 * Carries out a container's restart policy ({@code --restart}) without a daemon. The container's
 * monitor, once it has written the exit file, runs hutch's exit command for the container (see
 * {@link Engine#exitCommand}); that process lands here:
 * <ol>
 *   <li>under the record's lock, it decides by the policy, the exit code, the restart count and
 *       whether the user stopped the container (stop, kill, rm -f set "manually stopped" before
 *       they signal, under the same lock, so no exit they cause is ever taken for a crash); if it
 *       restarts, the record says "restarting", the count goes up and this process is recorded
 *       as the restarter, so rm -f, stop and kill can end it at any moment;</li>
 *   <li>it waits docker's backoff (100 ms, doubled at each restart, back to 100 ms after a run of
 *       10 s or more, at most a minute);</li>
 *   <li>it starts the container by the ordinary start path, which claims the record only if it
 *       still says "restarting" and nobody stopped it meanwhile.</li>
 * </ol>
 * always and unless-stopped differ in docker only when the daemon or host restarts. hutch has no
 * daemon and its run root is on tmpfs: nothing restarts containers at boot, so both behave alike.
 */
final class Restarts {
    static final long FIRST_DELAY_MS = 100, MAX_DELAY_MS = 60_000, RESET_AFTER_MS = 10_000;
    /** In the state dir while the policy is not "no": the monitor runs its exit command only then. */
    static final String MARK = "restart-policy";

    /** Writes or removes the mark for the policy (the file holds the policy, for people who look). */
    static void mark(java.nio.file.Path stateDir, RestartPolicy policy) {
        java.nio.file.Path f = stateDir.resolve(MARK);
        try {
            if (policy.isDefault() || "no".equals(policy.name())) java.nio.file.Files.deleteIfExists(f);
            else dev.hutch.util.AtomicFiles.replace(f, policy + "\n");
        } catch (java.io.IOException e) {
            throw new HutchException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    private final Engine engine;
    private final StateStore states;

    Restarts(Engine engine, StateStore states) {
        this.engine = engine;
        this.states = states;
    }

    /** @return true when the container was started again */
    boolean afterExit(String id) {
        ContainerState seen;
        try {
            seen = states.get(id); // the exit file is there: the record becomes "exited" with its code
        } catch (NotFoundException e) {
            return false;
        }
        if (seen.spec().restart().isDefault() || seen.isDamaged()) return false;
        long me = ProcessHandle.current().pid();
        ProcStat self = ProcStat.read(engine.config().procRoot(), me);
        long myStart = self == null ? 0 : self.startTime();
        ContainerState decided;
        try {
            decided = states.update(id, cur -> {
                if (cur.status() != ContainerStatus.EXITED || !shouldRestart(cur)) return cur;
                return cur.toBuilder().status(ContainerStatus.RESTARTING)
                        .restart(cur.restart().restarted(nextDelay(cur), me, myStart)).build();
            });
        } catch (NotFoundException e) {
            return false;
        }
        if (decided.status() != ContainerStatus.RESTARTING || decided.restart().restarterPid() != me) return false;
        try {
            Thread.sleep(decided.restart().delayMillis());
            return engine.runner().start(states.get(id), true, true) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (NotFoundException | Cancelled e) {
            return false; // removed or stopped meanwhile
        } finally {
            try {
                states.update(id, cur -> cur.restart().restarterPid() != me ? cur
                        : cur.toBuilder().restart(cur.restart().withRestarter(0, 0)).build());
            } catch (RuntimeException ignored) {
                // removed meanwhile: nothing to clear
            }
        }
    }

    /**
     * docker's rules: never after a manual stop, nor after a run that never started its command
     * (a bad command would loop); then the policy decides by the exit code and the count.
     */
    static boolean shouldRestart(ContainerState s) {
        RestartPolicy p = s.spec().restart();
        if (s.restart().manuallyStopped() || s.error() != null || s.exitCode() == null) return false;
        return p.restartsAfter(s.exitCode(), s.restart().count());
    }

    static long nextDelay(ContainerState s) {
        long last = s.restart().delayMillis();
        boolean ranLong = s.started() != null && s.finished() != null
                && Duration.between(s.started(), s.finished()).toMillis() >= RESET_AFTER_MS;
        if (last <= 0 || ranLong) return FIRST_DELAY_MS;
        return Math.min(last * 2, MAX_DELAY_MS);
    }

    /** Thrown inside the start's claim when the restart was called off (stop, kill, rm -f, a user's start). */
    static final class Cancelled extends HutchException {
        Cancelled(String name) { super("the restart of container " + name + " was called off"); }
    }
}
