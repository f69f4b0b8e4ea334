package dev.hutch.cgroup;

import dev.hutch.spec.Resources;

/**
 * Makes and finds the cgroups of containers: {@code <controller root>/<parent>/<id>} for every
 * controller, whatever the host has (v1, v2, or hybrid), chosen per controller at run time.
 */
public interface CgroupManager {

    /**
     * Creates the container's cgroup(s) and writes the limits. On failure nothing is left behind.
     * The caller moves the container's init into it (the helper writes the pid to
     * {@link ContainerCgroup#procsFiles()}).
     */
    ContainerCgroup create(String containerId, Resources resources);

    /** The cgroup of an existing container, from the paths recorded in its state. */
    ContainerCgroup open(String containerId, java.util.List<String> recordedPaths);
}
