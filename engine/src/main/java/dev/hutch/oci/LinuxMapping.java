package dev.hutch.oci;

import dev.hutch.json.JsonReader;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The bundle's {@code linux.namespaces} and {@code linux.resources}, in hutch's terms. */
final class LinuxMapping {
    private LinuxMapping() {}

    /** OCI's namespace type → the helper's name. */
    private static final Map<String, String> NAMESPACES = Map.of("pid", "pid", "network", "net", "mount", "mnt",
            "ipc", "ipc", "uts", "uts", "cgroup", "cgroup", "user", "user");

    /** New namespaces (helper names) and joined ones ("net /run/netns/x"). */
    record Namespaces(List<String> created, List<String> joined) {}

    static Namespaces namespaces(List<Object> list) {
        List<String> created = new ArrayList<>(), joined = new ArrayList<>();
        for (Object o : list) {
            JsonReader n = JsonReader.of(o);
            String type = n.string("type", "");
            String name = NAMESPACES.get(type);
            if (name == null) throw ConfigFields.refused("linux.namespaces", "type \"" + type + "\" is not supported (pid, network, mount, ipc, uts, cgroup)");
            if (name.equals("user"))
                throw ConfigFields.refused("linux.namespaces", "user is not supported yet by hutch's OCI runtime (run the container without a user namespace)");
            String path = n.string("path", "");
            if (path.isEmpty()) created.add(name);
            else joined.add(name + " " + path);
        }
        if (!created.contains("mnt") && joined.stream().noneMatch(j -> j.startsWith("mnt ")))
            throw ConfigFields.refused("linux.namespaces", "has no mount namespace: hutch never mounts in the host's");
        return new Namespaces(created, joined);
    }

    /**
     * cpu, memory, pids and the blkio weight; the device rules are hutch's own defaults plus the
     * config's devices (docs/oci.md), so {@code devices} is read by {@link OciPlanner}, not here.
     */
    static Resources resources(JsonReader r) {
        ConfigFields.check(r, "linux.resources.", Set.of("cpu", "memory", "pids", "blockIO", "devices"), Set.of());
        Resources.Builder b = Resources.builder();
        JsonReader cpu = r.object("cpu");
        ConfigFields.check(cpu, "linux.resources.cpu.", Set.of("shares", "quota", "period", "cpus", "mems"), Set.of());
        b.cpuShares(positive(cpu.longOrNull("shares")));
        b.cpuQuota(positive(cpu.longOrNull("quota")));
        b.cpuPeriod(positive(cpu.longOrNull("period")));
        b.cpusetCpus(emptyToNull(cpu.string("cpus")));
        b.cpusetMems(emptyToNull(cpu.string("mems")));
        JsonReader mem = r.object("memory");
        ConfigFields.check(mem, "linux.resources.memory.", Set.of("limit", "swap", "reservation"),
                Set.of("disableOOMKiller", "swappiness", "useHierarchy", "checkBeforeUpdate"));
        b.memory(positive(mem.longOrNull("limit")));
        Long swap = mem.longOrNull("swap");
        b.memorySwap(swap == null || swap == 0 ? null : swap);
        b.memoryReservation(positive(mem.longOrNull("reservation")));
        JsonReader pids = r.object("pids");
        Long limit = pids.longOrNull("limit");
        b.pidsLimit(limit == null || limit <= 0 ? null : limit);
        JsonReader io = r.object("blockIO");
        ConfigFields.check(io, "linux.resources.blockIO.", Set.of("weight"), Set.of());
        Long weight = io.longOrNull("weight");
        if (weight != null && weight > 0) b.blkioWeight(weight.intValue());
        return b.build();
    }

    private static Long positive(Long v) { return v == null || v <= 0 ? null : v; }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
