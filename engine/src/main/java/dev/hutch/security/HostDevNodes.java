package dev.hutch.security;

import dev.hutch.cgroup.DeviceNumbers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's device nodes, for {@code --privileged}: docker gives such a container every node of
 * the host's /dev (containerd's HostDevices, created by runc) with the host's numbers, mode and
 * owner. Skipped as there: the directories a container gets its own of (pts, shm, mqueue, fd) or
 * that belong to other tools (.lxc, .lxd-mounts, .udev), the console (the container's is set up
 * apart), symlinks and anything not a char or block device. Also skipped: /dev/ptmx, which hutch
 * makes a symlink to the container's own pts/ptmx (runc replaces the node the same way), so a
 * terminal opened inside is the container's, not one of the host's devpts instance.
 */
final class HostDevNodes {
    private HostDevNodes() {}

    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "mqueue", "fd", ".lxc", ".lxd-mounts", ".udev");
    private static final Set<String> SKIPPED_FILES = Set.of("console", "ptmx");

    /** helper {@code device} values, {@code PATH TYPE MAJOR MINOR MODE UID GID}, for every node under {@code dev}. */
    static List<String> list(Path dev) {
        List<String> out = new ArrayList<>();
        walk(dev, Path.of("/dev"), out, 0);
        return out;
    }

    private static void walk(Path dir, Path inContainer, List<String> out, int depth) {
        if (depth > 8) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0 || name.indexOf('\n') >= 0) continue; // not a launch-file value
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // gone since the listing, or unreadable: not a node we can give
                }
                int mode = (Integer) a.get("mode"), fmt = mode & 0170000;
                if (fmt == 0040000) {
                    if (!SKIPPED_DIRS.contains(name)) walk(p, inContainer.resolve(name), out, depth + 1);
                } else if ((fmt == 0020000 || fmt == 0060000) && !(depth == 0 && SKIPPED_FILES.contains(name))) {
                    long rdev = (Long) a.get("rdev");
                    out.add(inContainer.resolve(name) + " " + (fmt == 0060000 ? 'b' : 'c') + " " + DeviceNumbers.major(rdev) + " "
                            + DeviceNumbers.minor(rdev) + " " + Long.toOctalString(mode & 07777) + " " + a.get("uid") + " " + a.get("gid"));
                }
            }
        } catch (IOException e) {
            // an unreadable directory: its nodes are not given, as docker skips what it cannot stat
        }
    }

    /**
     * {@code cpu/cpuN/thermal_throttle} for each possible CPU where it exists (docker, moby's
     * GHSA-6fw5-f8r9-fgfm: the throttle counters leak what other tenants run).
     */
    static List<String> thermalThrottleDirs(Path cpuDir) {
        List<String> out = new ArrayList<>();
        String possible;
        try {
            possible = Files.readString(cpuDir.resolve("possible")).trim();
        } catch (IOException e) {
            return out;
        }
        for (String part : possible.split(",")) {
            if (part.isEmpty()) continue;
            int dash = part.indexOf('-');
            int from, to;
            try {
                from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            } catch (NumberFormatException e) {
                return out;
            }
            for (int cpu = from; cpu <= to && cpu < 65536; cpu++) {
                Path p = cpuDir.resolve("cpu" + cpu).resolve("thermal_throttle");
                if (Files.isDirectory(p)) out.add("/sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle");
            }
        }
        return out;
    }
}
