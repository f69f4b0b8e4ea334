package dev.hutch.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the cgroup mounts in {@code /proc/self/mountinfo} text (pure; see proc(5) for the format:
 * {@code id parent maj:min root mountpoint options [optional...] - fstype source superoptions}).
 */
public final class MountinfoParser {
    private MountinfoParser() {}

    /** A cgroup or cgroup2 mount. For v1, {@code controllers} come from the super options. */
    public record CgroupMount(int version, Path mountPoint, Set<String> controllers) {}

    /** Options of a v1 mount that are not controllers. */
    private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "noprefix", "clone_children", "xattr",
            "cpuset_v2_mode", "favordynmods");

    public static List<CgroupMount> cgroupMounts(String mountinfo) {
        List<CgroupMount> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int sep = line.indexOf(" - ");
            if (sep < 0) continue;
            String[] left = line.substring(0, sep).split(" ");
            String[] right = line.substring(sep + 3).split(" ");
            if (left.length < 5 || right.length < 1) continue;
            Path mountPoint = Path.of(CgroupText.unescapeOctal(left[4]));
            if (right[0].equals("cgroup2")) {
                out.add(new CgroupMount(2, mountPoint, Set.of()));
            } else if (right[0].equals("cgroup") && right.length >= 3) {
                Set<String> controllers = new LinkedHashSet<>();
                for (String opt : right[2].split(",")) {
                    // name=systemd and friends are named hierarchies with no controller
                    if (!NOT_CONTROLLERS.contains(opt) && !opt.contains("=")) controllers.add(opt);
                }
                if (!controllers.isEmpty()) out.add(new CgroupMount(1, mountPoint, controllers));
            }
        }
        return out;
    }
}
