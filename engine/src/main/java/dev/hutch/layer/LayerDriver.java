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

    /**
     * The plan over dirs a former {@link #prepare} made, for a container started again: its
     * writable layer (what the first run wrote) is kept. Drivers whose prepare only makes missing
     * dirs can prepare again.
     */
    default RootfsPlan reopen(Path containerDir, List<Path> lowerDirsBottomFirst) {
        return prepare(containerDir, lowerDirsBottomFirst);
    }

    /** Removes what {@link #prepare} made. */
    void remove(Path containerDir);
}
