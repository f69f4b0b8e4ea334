package dev.hutch.layer;

import dev.hutch.json.JsonWritable;

import java.nio.file.Path;
import java.util.List;

/**
 * How a container's root filesystem is to be put together: the mounts the native helper performs
 * inside the container's mount namespace (so nothing is mounted on the host), plus the host dirs
 * that hold the container's own changes.
 *
 * @param driver   "overlay", "aufs" or "copy"
 * @param rootfs   the directory that becomes the container's {@code /}
 * @param mounts   helper mount lines targeting "/" (e.g. the overlay mount)
 * @param upperDir the container's writable layer: what {@code commit} turns into a new layer
 */
public record RootfsPlan(String driver, Path rootfs, List<HelperMount> mounts, Path upperDir, Path workDir,
                         List<Path> lowerDirs) implements JsonWritable {

    /** What the container's state keeps of this plan (the mounts are the helper's business). */
    public RootfsRecord record() { return new RootfsRecord(driver, rootfs, upperDir, workDir, lowerDirs); }

    @Override
    public Object toJson() { return record().toJson(); }
}
