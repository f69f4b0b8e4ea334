package dev.hutch.cgroup;

/** Pausing every process of a cgroup: v1 freezer.state or v2 cgroup.freeze. */
public interface Freezer {

    /** Returns once the kernel reports the cgroup frozen. */
    void freeze(CgroupDir dir);

    /** Returns once the kernel reports the cgroup thawed. */
    void thaw(CgroupDir dir);

    boolean frozen(CgroupDir dir);
}
