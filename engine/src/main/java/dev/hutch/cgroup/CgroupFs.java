package dev.hutch.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam between the cgroup code and cgroupfs: every read, write, mkdir and rmdir goes through
 * here. {@link NioCgroupFs} is the real one (plain java.nio, no JNA, so the run path stays light);
 * tests use a subclass over a temp dir that makes the control files a kernel would make.
 */
public interface CgroupFs {

    boolean exists(Path path);

    String read(Path file) throws IOException;

    /** One write(2) of the value, without O_CREAT: cgroupfs files exist or the feature is absent. */
    void write(Path file, String value) throws IOException;

    /** Makes one directory; returns false if it already existed. */
    boolean mkdir(Path dir) throws IOException;

    /** Removes one (empty) cgroup directory. */
    void rmdir(Path dir) throws IOException;

    /** The child cgroups of a directory (no files), or an empty list if it is gone. */
    List<Path> subdirectories(Path dir) throws IOException;

    static CgroupFs host() { return new NioCgroupFs(); }
}
