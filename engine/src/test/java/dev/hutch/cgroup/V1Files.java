package dev.hutch.cgroup;

import java.util.LinkedHashMap;
import java.util.Map;

/** The files (and initial contents) of v1 cgroups as this VM's kernel makes them. */
public final class V1Files {
    private V1Files() {}

    public static final String UNLIMITED = "9223372036854771712\n";

    public static Map<String, String> child(String controller) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (controller) {
            case "cpu" -> {
                m.put("cpu.shares", "1024\n");
                m.put("cpu.cfs_period_us", "100000\n");
                m.put("cpu.cfs_quota_us", "-1\n");
                m.put("cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0\n");
            }
            case "cpuacct" -> m.put("cpuacct.usage", "0\n");
            case "cpuset" -> {
                m.put("cpuset.cpus", "\n");
                m.put("cpuset.mems", "\n");
            }
            case "memory" -> {
                m.put("memory.limit_in_bytes", UNLIMITED);
                m.put("memory.memsw.limit_in_bytes", UNLIMITED);
                m.put("memory.soft_limit_in_bytes", UNLIMITED);
                m.put("memory.usage_in_bytes", "0\n");
                m.put("memory.max_usage_in_bytes", "0\n");
                m.put("memory.stat", "cache 0\nrss 0\ntotal_inactive_file 0\n");
                m.put("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
            }
            case "pids" -> {
                m.put("pids.max", "max\n");
                m.put("pids.current", "0\n");
            }
            case "blkio" -> {
                m.put("blkio.bfq.weight", "100\n");
                m.put("blkio.throttle.read_bps_device", "");
                m.put("blkio.throttle.write_bps_device", "");
                m.put("blkio.throttle.read_iops_device", "");
                m.put("blkio.throttle.write_iops_device", "");
                m.put("blkio.bfq.weight_device", "default 100\n");
                m.put("blkio.throttle.io_service_bytes_recursive", "Total 0\n");
            }
            case "freezer" -> m.put("freezer.state", "THAWED\n");
            case "devices" -> {
                m.put("devices.allow", "");
                m.put("devices.deny", "");
                m.put("devices.list", "a *:* rwm\n");
            }
            default -> { }
        }
        return m;
    }

    /** A v1 root has fewer files: no pids.max, no freezer.state; cpuset has the host's values. */
    public static Map<String, String> root(String controller) {
        Map<String, String> m = new LinkedHashMap<>();
        if (controller.equals("cpuset")) {
            m.put("cpuset.cpus", "0-1\n");
            m.put("cpuset.mems", "0\n");
        }
        return m;
    }
}
