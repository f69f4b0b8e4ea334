package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;

import java.util.Arrays;
import java.util.List;

/**
 * In v2 a controller's files appear in a cgroup only when its parent lists it in
 * cgroup.subtree_control, and that must hold on every level down from the root. Only missing
 * controllers are written, so a parent that other engines set up is left as it is.
 */
final class SubtreeControl {
    static final String FILE = "cgroup.subtree_control";

    private SubtreeControl() {}

    static List<CgroupWrite> enable(CgroupDir parent, String controller) {
        String enabled = parent.read(FILE);
        if (Arrays.asList(enabled.split("\\s+")).contains(controller)) return List.of();
        return List.of(CgroupWrite.internal(parent, FILE, "+" + controller));
    }
}
