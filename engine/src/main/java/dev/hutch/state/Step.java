package dev.hutch.state;

import java.util.List;

/**
 * The journal's step names, in the order {@code run} takes them. Each is appended to the record
 * before the step changes the host (see {@link ContainerState#steps()}).
 */
public final class Step {
    private Step() {}

    /** The record exists (it is written first, atomically, as one directory rename). */
    public static final String RECORD = "record";
    /** The name file under names/. */
    public static final String NAME = "name";
    /** The data dir (upper/work dirs, log, /etc files). */
    public static final String DIRS = "dirs";
    /** A share of hutch's subordinate id range (--userns=auto), leased by container id. */
    public static final String USERNS = "userns";
    public static final String CGROUP = "cgroup";
    /** Address leases, then (with the helper's pid) veths, NAT rules, the netns file. */
    public static final String NETWORK = "network";
    /** The helper (monitor) process was spawned; its pid follows in the record. */
    public static final String HELPER = "helper";
    /** The engine is about to tell the helper "go": from here the container may run. */
    public static final String GO = "go";

    public static final List<String> ALL = List.of(RECORD, NAME, DIRS, USERNS, CGROUP, NETWORK, HELPER, GO);
}
