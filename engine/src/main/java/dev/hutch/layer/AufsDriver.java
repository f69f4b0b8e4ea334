package dev.hutch.layer;

import dev.hutch.HutchException;
import dev.hutch.util.Dirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * aufs, for kernels that have it and no overlay. aufs marks deletions its own way (a file
 * {@code .wh.name}, a file {@code .wh..wh..opq}), which is the layer tar's way, not overlay's. The
 * stored layers keep overlay's format, so each layer gets an aufs-format twin next to it
 * ({@link AufsTwins}) the first time aufs uses it. The container's upper branch is in aufs format;
 * {@code LayerTarWriter} reads that format as it is.
 */
public final class AufsDriver implements LayerDriver {
    private static final int MAX_MOUNT_DATA = 4095;

    @Override
    public String name() { return "aufs"; }

    @Override
    public boolean available() { return LayerDrivers.kernelHasOrLoads("aufs", "aufs"); }

    @Override
    public RootfsPlan prepare(Path containerDir, List<Path> lowerDirsBottomFirst) {
        if (lowerDirsBottomFirst.isEmpty()) throw new HutchException("the image has no layers");
        Path upper = containerDir.resolve("upper"), merged = containerDir.resolve("merged");
        List<Path> twinsBottomFirst = new ArrayList<>();
        try {
            Files.createDirectories(upper);
            Files.createDirectories(merged);
            for (int i = 0; i < lowerDirsBottomFirst.size(); i++)
                twinsBottomFirst.add(AufsTwins.twinOf(lowerDirsBottomFirst.get(i), containerDir.resolve("aufs-lower").resolve(Integer.toString(i))));
        } catch (IOException e) {
            throw new HutchException("cannot prepare the aufs branches in " + containerDir + ": " + e.getMessage(), e);
        }
        return new RootfsPlan(name(), merged, List.of(mount(upper, twinsBottomFirst)), upper, null, twinsBottomFirst);
    }

    /** {@code br:UPPER=rw:TOP=ro+wh:...:BOTTOM=ro+wh}: branches top first, as aufs lists them. */
    static HelperMount mount(Path upper, List<Path> lowersBottomFirst) {
        StringBuilder br = new StringBuilder("br:").append(upper).append("=rw");
        for (int i = lowersBottomFirst.size() - 1; i >= 0; i--) br.append(':').append(lowersBottomFirst.get(i)).append("=ro+wh");
        // dio: no page cache doubling; the xino file carries hutch's name (aufs's default is /tmp/.aufs.xino)
        String data = br + ",dio,xino=/dev/shm/hutch-aufs.xino";
        if (data.length() > MAX_MOUNT_DATA)
            throw new HutchException("the image has too many layers for one aufs mount (" + lowersBottomFirst.size()
                    + " layers, " + data.length() + " bytes of options; the kernel takes 4095); squash it with export/import");
        return new HelperMount("none", "/", "aufs", List.of(), data);
    }

    @Override
    public void remove(Path containerDir) {
        for (String d : List.of("upper", "merged", "aufs-lower")) Dirs.deleteRecursively(containerDir.resolve(d));
    }
}
