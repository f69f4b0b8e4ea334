package dev.hutch.bench;

import java.io.PrintStream;

/**
 * Pids limit: a shell starts far more sleeping children than the limit allows (fork fails with
 * EAGAIN once pids.current reaches pids.max, and busybox prints "can't fork" and goes on); the
 * highest process count the cgroup showed is the result. It counts every task of the container,
 * its init and the shell included, as the kernel does.
 */
final class PidsProbe {
    private static final long WATCH_MS = 2500, POLL_MS = 20;

    private final BenchContainers containers;

    /**
     * The kernel's own high-water mark, pids.peak (v1 and v2 on kernels from 6.x), which also
     * catches a peak shorter than the polling interval; -1 where the kernel has none.
     */
    private long peak(String id) {
        for (java.nio.file.Path dir : containers.engine().cgroup(id).paths()) {
            java.nio.file.Path f = dir.resolve("pids.peak");
            if (java.nio.file.Files.exists(f)) {
                try {
                    return Long.parseLong(java.nio.file.Files.readString(f).trim());
                } catch (java.io.IOException | NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    PidsProbe(BenchContainers containers) { this.containers = containers; }

    Results.PidsRow measure(long limit, PrintStream progress) {
        int tries = (int) Math.min(4 * limit + 16, 2000);
        // busybox sh exits when a fork fails, and the container would end with it: the loop runs in
        // an inner shell, and the outer one waits for it and then holds the container open.
        String loop = "i=0; while [ $i -lt " + tries + " ]; do sleep 60 & i=$((i+1)); done; wait";
        String script = "sh -c '" + loop + "' 2>/dev/null; sleep 30 & wait";
        return containers.with(containers.shell(script, r -> r.pidsLimit(limit)), id -> {
            long reached = 0;
            long deadline = System.currentTimeMillis() + WATCH_MS;
            while (System.currentTimeMillis() < deadline) {
                reached = Math.max(reached, Math.max(containers.stats(id).pids(), peak(id)));
                BenchContainers.sleep(POLL_MS);
            }
            progress.printf("  pids --pids-limit %-4d highest count %d (the loop tried %d)%n", limit, reached, tries);
            return new Results.PidsRow(limit, reached, tries);
        });
    }
}
