package dev.hutch.bench;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ExitRecord;

import java.io.PrintStream;

/**
 * Memory limit: a busybox shell that really holds anonymous memory (a command substitution keeps
 * the whole output of {@code head -c N /dev/zero | tr '\0' a} in the shell's heap; measured on
 * the host: 48 MiB of text peaks at ~97 MiB RSS because the buffer grows by doubling), against
 * each limit. Peak usage and the OOM kill come from the cgroup; OOMKilled from inspect.
 *
 * <p>Also the smallest limit at which a busybox {@code true} still starts, by bisection.
 *
 * <p>Every probe sets {@code --memory-swap} equal to {@code -m} (no swap): on a host with swap,
 * {@code -m} alone allows as much swap again (docker's rule), and the workload would page out
 * instead of meeting the limit, so the figures would measure the swap device, not the limit.
 */
final class MemoryProbe {
    private static final long EXIT_TIMEOUT_MS = 30_000;

    private final BenchContainers containers;
    private final Options options;

    MemoryProbe(BenchContainers containers, Options options) {
        this.containers = containers;
        this.options = options;
    }

    Results.MemoryRow measure(long limit, PrintStream progress) {
        String script = "x=$(head -c " + options.memoryWorkload() + " /dev/zero | tr '\\0' a); echo ${#x}";
        return containers.with(containers.shell(script, r -> r.memory(limit).memorySwap(limit)), id -> {
            int exit = awaitExit(id);
            // The container has exited but is not removed: its cgroup still holds the counters.
            CgroupStats s = containers.stats(id);
            ContainerState st = containers.engine().inspect(id);
            Results.MemoryRow row = new Results.MemoryRow(limit, options.memoryWorkload(), s.memoryMaxUsage(),
                    s.oomKills(), st.oomKilled(), exit);
            progress.printf("  mem  -m %-6s peak %-9s oom_kill %d  OOMKilled %s  exit %d%n", ResultsText.mib(limit),
                    ResultsText.mib(row.peak()), row.oomKills(), row.oomKilled(), exit);
            return row;
        });
    }

    /** Bisects the smallest -m at which `true` starts and exits 0 without an OOM kill. */
    Results.MinMemory smallestForTrue(PrintStream progress) {
        long step = options.minMemoryStep();
        long lo = align(options.minMemoryLow(), step), hi = align(options.minMemoryHigh(), step);
        int[] attempts = {0};
        String[] why = {null};
        String highFailure = tryTrue(hi, attempts);
        if (highFailure != null) return new Results.MinMemory(-1, hi, attempts[0], highFailure);
        String lowFailure = tryTrue(lo, attempts);
        if (lowFailure == null) {
            progress.printf("  mem  `true` starts even at -m %s%n", ResultsText.kib(lo));
            return new Results.MinMemory(lo, -1, attempts[0], null);
        }
        why[0] = lowFailure;
        // Invariant: lo fails, hi works.
        while (hi - lo > step) {
            long mid = align(lo + (hi - lo) / 2, step);
            if (mid <= lo || mid >= hi) break;
            String failure = tryTrue(mid, attempts);
            if (failure == null) hi = mid;
            else { lo = mid; why[0] = failure; }
        }
        progress.printf("  mem  smallest -m for `true`: %s (fails at %s: %s) after %d containers%n",
                ResultsText.kib(hi), ResultsText.kib(lo), why[0], attempts[0]);
        return new Results.MinMemory(hi, lo, attempts[0], why[0]);
    }

    /** null if `true` ran and exited 0 under the limit; else what went wrong. */
    private String tryTrue(long limit, int[] attempts) {
        attempts[0]++;
        try {
            return containers.with(containers.shell("true", r -> r.memory(limit).memorySwap(limit)), id -> {
                int exit = awaitExit(id);
                boolean oom = containers.engine().inspect(id).oomKilled();
                if (exit == 0 && !oom) return null;
                return "exit " + exit + (oom ? ", OOM-killed" : "");
            });
        } catch (HutchException e) {
            return "did not start: " + e.getMessage();
        }
    }

    /**
     * Waits for the exit file the helper's monitor writes (exit code and OOM flag). Polling the
     * monitor's file rather than the container's status: a status read in the few milliseconds
     * between init's exit and the monitor's write would record an unknown exit (-1).
     */
    private int awaitExit(String id) {
        long deadline = System.currentTimeMillis() + EXIT_TIMEOUT_MS;
        ExitRecord exit;
        while ((exit = containers.engine().exitRecord(id)) == null) {
            if (System.currentTimeMillis() > deadline)
                throw new HutchException("benchmark workload " + id + " still runs after " + EXIT_TIMEOUT_MS / 1000 + " s");
            BenchContainers.sleep(10);
        }
        return exit.exitCode();
    }

    private static long align(long v, long step) { return Math.max(step, v / step * step); }
}
