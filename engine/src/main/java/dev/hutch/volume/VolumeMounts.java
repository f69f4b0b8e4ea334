package dev.hutch.volume;

import dev.hutch.layer.HelperMount;
import dev.hutch.spec.Mount;

import java.util.List;

/** Turns the spec's volumes, binds and tmpfs mounts into helper mount lines, making volumes as needed. */
public interface VolumeMounts {

    /**
     * Refuses, before the run reserves its name, a mount that {@link #plan} could not make on this
     * host (a bind source that cannot exist because part of its path is a file). Changes nothing.
     */
    void check(List<Mount> mounts);

    /**
     * @param imageLayersTopFirst the image's layer dirs, so a new named volume can be seeded with
     *                            the image's content at its target, as docker does
     */
    List<HelperMount> plan(String containerId, List<Mount> mounts, List<java.nio.file.Path> imageLayersTopFirst);

    /**
     * For a container in a user namespace ({@code idMap} non-null): a volume that is new (empty)
     * is given to the container's range, its seeded content shifted with it, so root inside owns
     * it; a volume with content keeps its owners. Bind mounts are never changed.
     */
    default List<HelperMount> plan(String containerId, List<Mount> mounts, List<java.nio.file.Path> imageLayersTopFirst,
                                   dev.hutch.userns.IdMapping idMap) {
        return plan(containerId, mounts, imageLayersTopFirst);
    }

    /** Removes the container's anonymous volumes ({@code rm -v}). */
    void removeAnonymous(String containerId, List<Mount> mounts);
}
