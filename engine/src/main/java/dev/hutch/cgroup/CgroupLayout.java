package dev.hutch.cgroup;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which hierarchy serves each controller on this host. A controller mounted as v1 is used as v1;
 * otherwise, if the v2 root offers it, as v2 (so hybrid hosts work: here every real controller is
 * v1 and v2 holds only hugetlb). Only mounts under the configured cgroup root count, so a hierarchy
 * mounted again elsewhere (inside some container's rootfs) is never picked.
 */
public final class CgroupLayout {
    private final Map<String, Hierarchy> v1;
    private final Hierarchy v2;

    public CgroupLayout(Map<String, Hierarchy> v1ByController, Hierarchy v2) {
        this.v1 = Map.copyOf(v1ByController);
        this.v2 = v2;
    }

    public static CgroupLayout detect(String mountinfo, Path cgroupRoot, CgroupFs fs) {
        Map<String, Hierarchy> v1 = new LinkedHashMap<>();
        Hierarchy v2 = null;
        for (MountinfoParser.CgroupMount m : MountinfoParser.cgroupMounts(mountinfo)) {
            if (!m.mountPoint().startsWith(cgroupRoot)) continue;
            if (m.version() == 1) {
                Hierarchy h = new Hierarchy(1, m.mountPoint(), m.controllers());
                for (String c : m.controllers()) v1.putIfAbsent(c, h);
            } else if (v2 == null) {
                v2 = new Hierarchy(2, m.mountPoint(), readControllers(fs, m.mountPoint()));
            }
        }
        if (v1.isEmpty() && v2 == null)
            throw new HutchException("no cgroup hierarchy is mounted under " + cgroupRoot
                    + " (see /proc/self/mountinfo); mount cgroup2 there, or set HUTCH_CGROUP_ROOT to where cgroups are mounted");
        return new CgroupLayout(v1, v2);
    }

    private static Set<String> readControllers(CgroupFs fs, Path mount) {
        try {
            String text = fs.read(mount.resolve("cgroup.controllers")).trim();
            return text.isEmpty() ? Set.of() : Set.of(text.split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The v1 hierarchy that has this controller mounted. */
    public Optional<Hierarchy> v1(String controller) { return Optional.ofNullable(v1.get(controller)); }

    /** The v2 hierarchy, if this controller is enabled in its root (and not taken by a v1 mount). */
    public Optional<Hierarchy> v2(String controller) {
        return v2 != null && v2.controllers().contains(controller) && !v1.containsKey(controller) ? Optional.of(v2) : Optional.empty();
    }

    public Optional<Hierarchy> v2() { return Optional.ofNullable(v2); }

    public List<Hierarchy> hierarchies() {
        List<Hierarchy> all = new java.util.ArrayList<>(v1.values().stream().distinct().toList());
        if (v2 != null) all.add(v2);
        return all;
    }

    /** E.g. {@code cpu=v1 memory=v1 ... hugetlb=v2}, for {@code hutch info} and error messages. */
    public String describe() {
        Map<String, String> m = new TreeMap<>();
        v1.keySet().forEach(c -> m.put(c, "v1"));
        if (v2 != null) v2.controllers().forEach(c -> m.putIfAbsent(c, "v2"));
        StringBuilder sb = new StringBuilder();
        m.forEach((c, v) -> sb.append(sb.length() == 0 ? "" : " ").append(c).append('=').append(v));
        return sb.toString();
    }
}
