package dev.hutch.cgroup;

/** A controller bound to the container's directory in its hierarchy. */
record Attached(Controller controller, Hierarchy hierarchy, CgroupDir dir) {}
