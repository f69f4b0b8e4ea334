package dev.hutch.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * One mounted cgroup hierarchy: a v1 mount with its controllers (several when co-mounted, as in
 * {@code cpu,cpuacct}), or the v2 mount with the controllers its root offers.
 */
public record Hierarchy(int version, Path mountPoint, Set<String> controllers) {
    public Hierarchy {
        controllers = Set.copyOf(controllers);
    }

    public boolean isV2() { return version == 2; }

    @Override public String toString() { return "v" + version + " " + mountPoint + " " + controllers; }
}
