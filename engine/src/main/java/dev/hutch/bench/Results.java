package dev.hutch.bench;

import dev.hutch.HutchException;
import dev.hutch.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the resource-limit benchmark measured, and its renderings: a text table, JSON,
 * CSV, an SVG chart and an HTML page embedding the chart. Plain data; rendering lives in
 * {@link ResultsText}, {@link ResultsCsv}, {@link LimitsChart} and {@link ResultsHtml}.
 */
public record Results(Instant startedAt, Duration took, String host, List<CpuRow> cpu, List<MemoryRow> memory,
                      MinMemory minMemory, List<PidsRow> pids, IoRow io, List<String> notes) {

    /** Goal for a cpu row: achieved within this many percentage points (of one CPU) of the quota. */
    public static final double CPU_GOAL_PP = 2.0;

    public Results {
        cpu = List.copyOf(cpu);
        memory = List.copyOf(memory);
        pids = List.copyOf(pids);
        notes = List.copyOf(notes);
    }

    /**
     * @param quota            --cpus
     * @param spinners         busy loops started (enough to use more than the quota)
     * @param achieved         cpus used, from the cgroup's usage counter over the window
     * @param periods          enforcement periods in the window
     * @param throttledPeriods periods in which the quota ran out
     * @param hostOther        cpus the rest of the host used meanwhile (a busy host starves big quotas)
     */
    public record CpuRow(double quota, int spinners, double achieved, long periods, long throttledPeriods, double hostOther) {
        /** Percentage points of one CPU: (achieved - quota) x 100. */
        public double errorPp() { return (achieved - quota) * 100; }

        public boolean withinGoal() { return Math.abs(errorPp()) <= CPU_GOAL_PP; }

        /**
         * Short of the quota in periods where the quota never ran out: the host had no cpu to give
         * (other load on a small machine), so the miss says nothing about the limit.
         */
        public boolean hostLimited() {
            return !withinGoal() && achieved < quota && periods > 0 && throttledPeriods < periods * 0.9;
        }
    }

    /**
     * @param limit      -m, bytes
     * @param workload   bytes the workload tried to hold
     * @param peak       peak usage the cgroup recorded (max_usage_in_bytes / memory.peak), -1 unknown
     * @param oomKills   oom_kill count of the cgroup
     * @param oomKilled  what inspect shows as OOMKilled
     * @param exitCode   the container's exit code
     */
    public record MemoryRow(long limit, long workload, long peak, long oomKills, boolean oomKilled, int exitCode) {
        public boolean held() { return peak < 0 || peak <= limit; }
    }

    /**
     * @param smallestWorking smallest -m at which `true` started and exited 0; -1 if none did
     * @param largestFailing  largest -m tried at which it did not; -1 if all worked
     * @param attempts        containers started for the bisection
     * @param lastFailure     why the largest failing try failed
     */
    public record MinMemory(long smallestWorking, long largestFailing, int attempts, String lastFailure) {}

    /** @param reached the most processes seen at once in the cgroup; @param tried processes the loop tried to start */
    public record PidsRow(long limit, long reached, int tried) {
        public boolean held() { return reached <= limit; }
    }

    /**
     * @param device    the device throttled (the one backing the engine's lib root)
     * @param limitBps  --device-write-bps
     * @param achieved  bytes per second written over the window, from the cgroup's counters; -1 if skipped
     * @param skipped   why it did not run, or null
     */
    public record IoRow(String device, long limitBps, double achieved, String skipped) {
        public double errorPercent() { return limitBps <= 0 || achieved < 0 ? Double.NaN : (achieved - limitBps) * 100.0 / limitBps; }
    }

    /** Writes limits.txt, limits.json, limits.csv, limits.svg and limits.html into dir; returns the files. */
    public List<Path> writeTo(Path dir) {
        String svg = LimitsChart.svg(this);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("limits.txt", ResultsText.table(this));
        files.put("limits.json", Json.pretty(toJson()) + "\n");
        files.put("limits.csv", ResultsCsv.csv(this));
        files.put("limits.svg", svg);
        files.put("limits.html", ResultsHtml.page(this, svg));
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.writeString(p, e.getValue());
                written.add(p);
            }
        } catch (IOException e) {
            throw new HutchException("cannot write the benchmark results to " + dir + ": " + e.getMessage()
                    + " (choose another directory with --out)", e);
        }
        return written;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startedAt", startedAt.toString());
        m.put("tookSeconds", took.toMillis() / 1000.0);
        m.put("host", host);
        m.put("cpuGoalPercentagePoints", CPU_GOAL_PP);
        List<Object> c = new ArrayList<>();
        for (CpuRow r : cpu) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("quota", r.quota());
            o.put("spinners", r.spinners());
            o.put("achieved", round(r.achieved(), 4));
            o.put("errorPp", round(r.errorPp(), 2));
            o.put("withinGoal", r.withinGoal());
            o.put("hostLimited", r.hostLimited());
            o.put("periods", r.periods());
            o.put("throttledPeriods", r.throttledPeriods());
            o.put("hostOtherCpus", round(r.hostOther(), 3));
            c.add(o);
        }
        m.put("cpu", c);
        List<Object> mem = new ArrayList<>();
        for (MemoryRow r : memory) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("limitBytes", r.limit());
            o.put("workloadBytes", r.workload());
            o.put("peakBytes", r.peak());
            o.put("held", r.held());
            o.put("oomKills", r.oomKills());
            o.put("oomKilled", r.oomKilled());
            o.put("exitCode", r.exitCode());
            mem.add(o);
        }
        m.put("memory", mem);
        if (minMemory != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("smallestWorkingBytes", minMemory.smallestWorking());
            o.put("largestFailingBytes", minMemory.largestFailing());
            o.put("attempts", minMemory.attempts());
            o.put("lastFailure", minMemory.lastFailure());
            m.put("minMemoryForTrue", o);
        }
        List<Object> p = new ArrayList<>();
        for (PidsRow r : pids) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("limit", r.limit());
            o.put("reached", r.reached());
            o.put("tried", r.tried());
            o.put("held", r.held());
            p.add(o);
        }
        m.put("pids", p);
        if (io != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("device", io.device());
            o.put("limitBps", io.limitBps());
            o.put("achievedBps", round(io.achieved(), 0));
            o.put("errorPercent", Double.isNaN(io.errorPercent()) ? null : round(io.errorPercent(), 2));
            o.put("skipped", io.skipped());
            m.put("io", o);
        }
        m.put("notes", notes);
        return m;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
