package dev.hutch.cgroup;

import dev.hutch.spec.Resources;

import java.util.List;

/**
 * One cgroup controller in one cgroup version (youki's libcgroups shape): it knows its files,
 * how to apply its part of {@link Resources}, and how to read its counters.
 *
 * <p>Planning methods only read through the {@link CgroupDir} (which files exist, current values)
 * and return the writes; the manager performs them. That keeps "which file gets which value"
 * testable on a fake tree.
 */
public interface Controller {

    /** The kernel's name: what mountinfo and cgroup.controllers say ({@code cpu}, {@code memory}, ...). */
    String name();

    /** The cgroup version this implementation speaks. */
    int version();

    /**
     * Writes for the directory levels on the way down to the container, called for each level
     * (parent, child) from the mount root to the container's own directory, after the child exists
     * and before any task joins: cpuset v1 copies cpus/mems down, v2 enables the controller in the
     * parent's subtree_control.
     */
    default List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) { return List.of(); }

    /** Writes made once at creation, whatever the limits (the devices allow-list). */
    default List<CgroupWrite> defaults(CgroupDir dir) { return List.of(); }

    /** As {@link #defaults(CgroupDir)}, knowing the container's device allow-list (v1 devices writes it). */
    default List<CgroupWrite> defaults(CgroupDir dir, List<DeviceRule> devices) { return defaults(dir); }

    /** The writes that put the set (non-null) limits in place, in the order the kernel needs them. */
    List<CgroupWrite> plan(Resources resources, CgroupDir dir);

    /** Adds this controller's counters; a missing file leaves the value unknown (-1). */
    default void readStats(CgroupDir dir, CgroupStats.Builder stats) {}
}
