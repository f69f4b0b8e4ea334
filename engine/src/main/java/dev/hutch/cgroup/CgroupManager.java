package dev.hutch.cgroup;

import dev.hutch.spec.Resources;

import java.util.List;

/**
 * Makes and finds the cgroups of containers: {@code <controller root>/<parent>/<id>} for every
 * controller, whatever the host has (v1, v2, or hybrid), chosen per controller at run time.
 * Get one with {@link Cgroups#forHost}.
 */
public interface CgroupManager {

    /**
     * Refuses, before the run reserves its name, limits that name host things that are not there:
     * the devices of {@code --device-read-bps} and {@code --device-write-bps} must be block
     * devices of this host. Changes nothing.
     */
    void check(Resources resources);

    /**
     * Creates the container's cgroup(s) and writes the limits. On failure nothing is left behind.
     * The caller moves the container's init into it (the helper writes the pid to
     * {@link ContainerCgroup#procsFiles()}). The resources should have passed
     * {@link dev.hutch.spec.ResourceValidator} already; what the kernel still refuses is a
     * {@link dev.hutch.HutchException} naming the flag and value.
     */
    default ContainerCgroup create(String containerId, Resources resources) {
        return create(containerId, resources, DeviceRule.DEFAULTS);
    }

    /**
     * As {@link #create(String, Resources)}, with the container's device allow-list: written to
     * v1's devices files here; on v2 the helper attaches the program made from the same list to
     * {@link ContainerCgroup#deviceProgramDir()}.
     */
    ContainerCgroup create(String containerId, Resources resources, List<DeviceRule> devices);

    /**
     * docker's {@code --cgroup-parent}, checked before anything is made: only this manager's own
     * parent or a group below it (hutch never makes cgroups elsewhere on a shared host). Returns the
     * parent to create under, normalized; null for the manager's own.
     */
    default String containerParent(String requested) {
        if (requested == null || requested.isEmpty()) return null;
        throw new dev.hutch.spec.InvalidSpecException("--cgroup-parent", requested, "is not supported by this cgroup manager");
    }

    /** As {@link #create(String, Resources, List)}, under {@code parent} from {@link #containerParent} (null: the manager's own). */
    default ContainerCgroup create(String containerId, Resources resources, List<DeviceRule> devices, String parent) {
        if (parent != null) throw new dev.hutch.spec.InvalidSpecException("--cgroup-parent", parent, "is not supported by this cgroup manager");
        return create(containerId, resources, devices);
    }

    /**
     * The cgroup of an existing container, from the paths recorded in its state (or, if none were
     * recorded, where {@link #create} would have put it).
     */
    ContainerCgroup open(String containerId, List<String> recordedPaths);

    /** Which version serves each controller here, e.g. {@code cpu=v1 memory=v1 hugetlb=v2 (parent hutch)}. */
    String describe();

    /**
     * Removes the parent directories ({@code hutch/...}) where they hold no other cgroup. Tests that
     * use a parent of their own call it to leave nothing; the engine may keep its parent.
     */
    void removeParentIfEmpty();
}
