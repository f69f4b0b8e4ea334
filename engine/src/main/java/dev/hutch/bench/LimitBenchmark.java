package dev.hutch.bench;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import dev.hutch.util.HostInfo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code hutch bench limits}: how well each resource limit holds, measured with busybox workloads
 * in real containers and read from the containers' own cgroup counters.
 *
 * <ul>
 *   <li>cpu: busy loops at each --cpus quota; achieved cpus and the error in percentage points;</li>
 *   <li>memory: a shell holding more than the limit; peak usage, OOM kill (cgroup and inspect);
 *       the smallest -m at which {@code true} still starts;</li>
 *   <li>pids: a fork loop against --pids-limit; the highest count reached;</li>
 *   <li>io: a direct-I/O writer against --device-write-bps on the disk under the lib root.</li>
 * </ul>
 * Every workload is a detached container removed in a finally block: the run leaves nothing
 * behind. A section that fails is noted in the results and the others still run.
 */
public final class LimitBenchmark {
    private LimitBenchmark() {}

    public static Results run(Engine engine, Options options, PrintStream progress) {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        int cpus = HostInfo.cpus();
        BenchContainers containers = new BenchContainers(engine, options.image());
        List<String> notes = new ArrayList<>();
        progress.printf("hutch bench limits: %d cpu quotas, %d memory limits, %d pids limits%s on %s%n",
                options.cpuQuotas().size(), options.memoryLimits().size(), options.pidsLimits().size(),
                options.ioWriteBps() > 0 ? ", io" : "", host(cpus));

        section(progress, t0, "cpu (warm-up " + options.cpuWarmup().toMillis() + " ms, window " + options.cpuWindow().toMillis() + " ms each)");
        CpuProbe cpu = new CpuProbe(containers, options, cpus);
        List<Results.CpuRow> cpuRows = new ArrayList<>();
        for (double q : options.cpuQuotas()) {
            if (q > cpus) { notes.add("--cpus " + q + " skipped: this host has " + cpus + " cpus"); continue; }
            attempt(notes, progress, "cpu --cpus " + q, () -> cpuRows.add(cpu.measure(q, progress)));
        }

        section(progress, t0, "memory (a shell holding " + ResultsText.mib(options.memoryWorkload()) + ")");
        MemoryProbe memory = new MemoryProbe(containers, options);
        List<Results.MemoryRow> memRows = new ArrayList<>();
        for (long limit : options.memoryLimits())
            attempt(notes, progress, "memory -m " + limit, () -> memRows.add(memory.measure(limit, progress)));
        Results.MinMemory[] min = {null};
        attempt(notes, progress, "smallest -m for true", () -> min[0] = memory.smallestForTrue(progress));

        section(progress, t0, "pids");
        PidsProbe pids = new PidsProbe(containers);
        List<Results.PidsRow> pidRows = new ArrayList<>();
        for (long limit : options.pidsLimits())
            attempt(notes, progress, "pids --pids-limit " + limit, () -> pidRows.add(pids.measure(limit, progress)));

        Results.IoRow[] io = {null};
        if (options.ioWriteBps() > 0) {
            section(progress, t0, "io");
            attempt(notes, progress, "io", () -> io[0] = new IoProbe(containers, options).measure(engine.config().libRoot(), progress));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        progress.printf("done in %.1f s%n", took.toMillis() / 1000.0);
        return new Results(startedAt, took, host(cpus), cpuRows, memRows, min[0], pidRows, io[0], notes);
    }

    private static void section(PrintStream progress, long t0, String what) {
        progress.printf("[%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    /** Runs one measurement; a failure becomes a note and the benchmark goes on. */
    private static void attempt(List<String> notes, PrintStream progress, String what, Runnable r) {
        try {
            r.run();
        } catch (HutchException e) {
            if (Thread.currentThread().isInterrupted()) throw e;
            String note = what + " failed: " + e.getMessage();
            notes.add(note);
            progress.println("  " + note);
        }
    }

    /** "Linux 6.1.0, 2 cpus, cgroup hybrid (v1 + v2)". */
    static String host(int cpus) {
        return "Linux " + read(() -> Path.of("/proc/sys/kernel/osrelease")) + ", " + cpus + " cpus, cgroup "
                + cgroupMode(read(() -> Path.of("/proc/self/mountinfo")));
    }

    static String cgroupMode(String mountinfo) {
        boolean v1 = mountinfo.contains(" - cgroup "), v2 = mountinfo.contains(" - cgroup2 ");
        return v1 && v2 ? "hybrid (v1 + v2)" : v2 ? "v2" : v1 ? "v1" : "none";
    }

    private static String read(Supplier<Path> p) {
        try {
            return Files.readString(p.get()).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
