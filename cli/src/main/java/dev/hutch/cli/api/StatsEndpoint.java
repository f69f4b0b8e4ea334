package dev.hutch.cli.api;

import dev.hutch.cgroup.CgroupStats;
import dev.hutch.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /containers/{id}/stats}: the engine's cgroup counters in docker's shape, which the
 * docker CLI turns into its columns: CPU % from the container's and the host's cpu time between
 * two readings ({@code precpu_stats} and {@code cpu_stats}), memory use and limit, pids, block
 * I/O, and each interface's bytes from the container's own {@code /proc/<pid>/net/dev}.
 * {@code stream=false}: one answer from two readings half a second apart; else one a second.
 */
final class StatsEndpoint {
    private static final long INTERVAL_MS = 1000, ONE_SHOT_MS = 500;

    private StatsEndpoint() {}

    static void register(ApiRouter router) {
        router.add("GET", "/containers/([^/]+)/stats", StatsEndpoint::stats);
    }

    private record Reading(Instant time, CgroupStats cgroup, long systemNanos) {}

    static void stats(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        boolean stream = call.flag("stream", true);
        if (!f.running()) { // dockerd: a stopped container's stats are all zero
            Map<String, Object> zero = shape(f, null, null);
            if (stream) {
                try (OutputStream out = call.response().stream(200, "application/json")) {
                    out.write((Json.write(zero) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } else {
                call.response().json(200, zero);
            }
            return;
        }
        try {
            Reading before = read(call, f);
            if (!stream) {
                Thread.sleep(ONE_SHOT_MS);
                call.response().json(200, shape(f, read(call, f), before));
                return;
            }
            try (OutputStream out = call.response().stream(200, "application/json")) {
                Reading previous = null;
                while (true) {
                    Reading now = previous == null ? before : read(call, f);
                    out.write((Json.write(shape(f, now, previous)) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    previous = now;
                    Thread.sleep(INTERVAL_MS);
                    if (!call.engine().isRunning(f.id())) return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Reading read(ApiCall call, ContainerEndpoints.Found f) {
        return new Reading(Instant.now(), call.engine().stats(f.id()), systemCpuNanos());
    }

    private static Map<String, Object> shape(ContainerEndpoints.Found f, Reading now, Reading before) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", now == null ? ContainerShapes.ZERO_TIME : now.time.toString());
        m.put("preread", before == null ? ContainerShapes.ZERO_TIME : before.time.toString());
        m.put("name", "/" + f.view().name());
        m.put("id", f.id());
        CgroupStats s = now == null ? null : now.cgroup;
        m.put("pids_stats", s == null || s.pids() < 0 ? Map.of() : pids(s));
        m.put("cpu_stats", cpu(now));
        m.put("precpu_stats", cpu(before));
        m.put("memory_stats", s == null ? Map.of() : memory(s));
        m.put("blkio_stats", s == null ? Map.of() : blkio(s));
        m.put("networks", now == null ? Map.of() : networks(f.view().pid()));
        return m;
    }

    private static Map<String, Object> pids(CgroupStats s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("current", s.pids());
        if (s.pidsLimit() > 0) p.put("limit", s.pidsLimit());
        return p;
    }

    private static Map<String, Object> cpu(Reading r) {
        Map<String, Object> c = new LinkedHashMap<>();
        long usage = r == null ? 0 : Math.max(0, r.cgroup.cpuUsageNanos());
        c.put("cpu_usage", Map.of("total_usage", usage, "usage_in_kernelmode", 0, "usage_in_usermode", 0));
        c.put("system_cpu_usage", r == null ? 0 : r.systemNanos);
        c.put("online_cpus", r == null ? 0 : Runtime.getRuntime().availableProcessors());
        c.put("throttling_data", Map.of("periods", r == null ? 0 : Math.max(0, r.cgroup.periods()),
                "throttled_periods", r == null ? 0 : Math.max(0, r.cgroup.throttledPeriods()),
                "throttled_time", r == null ? 0 : Math.max(0, r.cgroup.throttledNanos())));
        return c;
    }

    /** usage is already net of the inactive file cache (as docker shows it), so no cache field is given to subtract. */
    private static Map<String, Object> memory(CgroupStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("usage", Math.max(0, s.memoryUsage()));
        if (s.memoryMaxUsage() >= 0) m.put("max_usage", s.memoryMaxUsage());
        m.put("limit", s.memoryLimit() > 0 ? s.memoryLimit() : hostMemory());
        m.put("stats", Map.of());
        return m;
    }

    private static Map<String, Object> blkio(CgroupStats s) {
        return Map.of("io_service_bytes_recursive", List.of(
                Map.of("major", 0, "minor", 0, "op", "read", "value", Math.max(0, s.blkioReadBytes())),
                Map.of("major", 0, "minor", 0, "op", "write", "value", Math.max(0, s.blkioWriteBytes()))));
    }

    /** Each interface but lo, from the container's network namespace as its init sees it. */
    static Map<String, Object> networks(long pid) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/dev"));
        } catch (IOException e) {
            return out;
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).trim();
            String[] v = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || v.length < 16) continue;
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("rx_bytes", Long.parseLong(v[0]));
            n.put("rx_packets", Long.parseLong(v[1]));
            n.put("rx_errors", Long.parseLong(v[2]));
            n.put("rx_dropped", Long.parseLong(v[3]));
            n.put("tx_bytes", Long.parseLong(v[8]));
            n.put("tx_packets", Long.parseLong(v[9]));
            n.put("tx_errors", Long.parseLong(v[10]));
            n.put("tx_dropped", Long.parseLong(v[11]));
            out.put(name, n);
        }
        return out;
    }

    /** The host's cpu time in nanoseconds, as dockerd reads it: /proc/stat's first line, USER_HZ 100. */
    static long systemCpuNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long ticks = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) ticks += Long.parseLong(f[i]);
            return ticks * (1_000_000_000L / 100);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long hostMemory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo")))
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("\\D+", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return 0;
    }
}
