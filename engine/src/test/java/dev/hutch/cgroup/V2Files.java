package dev.hutch.cgroup;

import java.util.LinkedHashMap;
import java.util.Map;

/** The files of a v2 cgroup: the core ones, and each controller's once the parent enables it. */
public final class V2Files {
    private V2Files() {}

    public static Map<String, String> core() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cgroup.procs", "");
        m.put("cgroup.subtree_control", "\n");
        m.put("cgroup.events", "populated 0\nfrozen 0\n");
        m.put("cgroup.freeze", "0\n");
        m.put("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
        return m;
    }

    public static Map<String, String> child(String controller) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (controller) {
            case "cpu" -> {
                m.put("cpu.weight", "100\n");
                m.put("cpu.max", "max 100000\n");
                m.put("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
            }
            case "cpuset" -> {
                m.put("cpuset.cpus", "\n");
                m.put("cpuset.mems", "\n");
            }
            case "memory" -> {
                m.put("memory.max", "max\n");
                m.put("memory.swap.max", "max\n");
                m.put("memory.low", "0\n");
                m.put("memory.current", "0\n");
                m.put("memory.peak", "0\n");
                m.put("memory.stat", "anon 0\nfile 0\ninactive_file 0\n");
                m.put("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
            }
            case "pids" -> {
                m.put("pids.max", "max\n");
                m.put("pids.current", "0\n");
            }
            case "io" -> {
                m.put("io.weight", "default 100\n");
                m.put("io.max", "");
                m.put("io.stat", "");
            }
            default -> { }
        }
        return m;
    }
}
