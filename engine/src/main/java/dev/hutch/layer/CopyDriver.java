package dev.hutch.layer;

import dev.hutch.HutchException;
import dev.hutch.util.Dirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fallback when the kernel has no union filesystem: the layers are copied, bottom first with
 * whiteouts applied, into a plain directory that the helper bind-mounts onto itself (pivot_root
 * needs a mount point). Slow to start and heavy on disk, but it works everywhere.
 *
 * <p>The plan's {@code upperDir} is the whole tree (it is the container's writable layer, and the
 * top of what {@code UserResolver} reads); {@code commit} must diff it against the lower layers
 * rather than take it as a layer.
 */
public final class CopyDriver implements LayerDriver {
    @Override
    public String name() { return "copy"; }

    @Override
    public boolean available() { return true; }

    @Override
    public RootfsPlan prepare(Path containerDir, List<Path> lowerDirsBottomFirst) {
        Path rootfs = containerDir.resolve("rootfs");
        try {
            Dirs.deleteRecursively(rootfs); // a leftover from a crash is stale
            Files.createDirectories(rootfs);
            for (Path layer : lowerDirsBottomFirst) LayerFlattener.apply(layer, rootfs);
        } catch (IOException | RuntimeException e) {
            Dirs.deleteRecursively(rootfs);
            throw new HutchException("cannot copy the image's layers into " + rootfs + ": " + e.getMessage(), e);
        }
        HelperMount bind = new HelperMount(rootfs.toString(), "/", "", List.of("rbind"), "");
        return new RootfsPlan(name(), rootfs, List.of(bind), rootfs, null, lowerDirsBottomFirst);
    }

    /** The container's own full copy is its writable layer: kept as the first run left it. */
    @Override
    public RootfsPlan reopen(Path containerDir, List<Path> lowerDirsBottomFirst) {
        Path rootfs = containerDir.resolve("rootfs");
        if (!Files.isDirectory(rootfs)) return prepare(containerDir, lowerDirsBottomFirst); // created, never started
        HelperMount bind = new HelperMount(rootfs.toString(), "/", "", List.of("rbind"), "");
        return new RootfsPlan(name(), rootfs, List.of(bind), rootfs, null, lowerDirsBottomFirst);
    }

    @Override
    public void remove(Path containerDir) {
        Dirs.deleteRecursively(containerDir.resolve("rootfs"));
    }
}
