package dev.hutch.bench;

import dev.hutch.cgroup.CgroupStats;

import java.io.PrintStream;

/**
 * CPU quota: busy loops that want more cpu than the quota allows, measured by the cgroup's own
 * usage counter (cpuacct.usage / cpu.stat usage_usec) over a fixed window after a warm-up.
 *
 * <p>Why a whole number of periods: CFS lets the group run for quota×period and then throttles it
 * until the period ends, so usage grows in steps. A window of whole 100 ms periods holds the same
 * number of steps wherever it starts, and the reading does not depend on the phase.
 */
final class CpuProbe {
    private final BenchContainers containers;
    private final Options options;
    private final int hostCpus;

    CpuProbe(BenchContainers containers, Options options, int hostCpus) {
        this.containers = containers;
        this.options = options;
        this.hostCpus = hostCpus;
    }

    Results.CpuRow measure(double quota, PrintStream progress) {
        // One busy loop can use one cpu: start enough to want more than the quota, at most one per cpu.
        int spinners = Math.max(1, Math.min(hostCpus, (int) Math.ceil(quota) + 1));
        String script = "i=0; while [ $i -lt " + spinners + " ]; do (while :; do :; done) & i=$((i+1)); done; wait";
        return containers.with(containers.shell(script, r -> r.cpus(quota)), id -> {
            BenchContainers.sleep(options.cpuWarmup().toMillis());
            HostCpu hostBefore = HostCpu.read();
            CgroupStats before = containers.stats(id);
            long t0 = System.nanoTime();
            BenchContainers.sleep(options.cpuWindow().toMillis());
            CgroupStats after = containers.stats(id);
            long wall = System.nanoTime() - t0;
            HostCpu hostAfter = HostCpu.read();
            double achieved = (double) (after.cpuUsageNanos() - before.cpuUsageNanos()) / wall;
            double hostBusy = HostCpu.busyCpus(hostBefore, hostAfter);
            Results.CpuRow row = new Results.CpuRow(quota, spinners, achieved,
                    delta(before.periods(), after.periods()), delta(before.throttledPeriods(), after.throttledPeriods()),
                    Double.isNaN(hostBusy) ? Double.NaN : Math.max(0, hostBusy - achieved));
            progress.printf("  cpu  --cpus %-5s achieved %.3f  error %+.2f pp  throttled %d/%d periods%n",
                    ResultsText.trim(quota), achieved, row.errorPp(), row.throttledPeriods(), row.periods());
            return row;
        });
    }

    private static long delta(long a, long b) { return a < 0 || b < 0 ? -1 : b - a; }
}
