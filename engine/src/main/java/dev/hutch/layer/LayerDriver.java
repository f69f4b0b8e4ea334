package dev.hutch.layer;

import java.nio.file.Path;
import java.util.List;

/**
 * A union filesystem driver, in the manner of containerd's snapshotters: it returns a plan (the
 * mounts), the caller performs it. Every driver passes the same contract test suite.
 */
public interface LayerDriver {

    String name();

    /** True if this kernel and filesystem can use the driver. */
    boolean available();

    /**
     * Prepares the container's dirs under {@code containerDir} (upper, work, merged) over the
     * given read-only layer dirs (bottom first) and returns the mounts that assemble them.
     */
    RootfsPlan prepare(Path containerDir, List<Path> lowerDirsBottomFirst);

    /** Removes what {@link #prepare} made. */
    void remove(Path containerDir);
}
