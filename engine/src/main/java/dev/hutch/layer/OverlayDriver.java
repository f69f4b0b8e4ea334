package dev.hutch.layer;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * overlayfs: the image's layers are the read-only lowerdirs, the container's changes go to its own
 * upperdir. The mount itself is performed by the helper inside the container's mount namespace,
 * so nothing is mounted on the host and nothing can leak there.
 */
public final class OverlayDriver implements LayerDriver {
    /** mount(2) takes at most one page of options. */
    private static final int MAX_MOUNT_DATA = 4095;

    @Override
    public String name() { return "overlay"; }

    @Override
    public boolean available() { return LayerDrivers.kernelHasOrLoads("overlay", "overlay"); }

    @Override
    public RootfsPlan prepare(Path containerDir, List<Path> lowerDirsBottomFirst) {
        if (lowerDirsBottomFirst.isEmpty()) throw new HutchException("the image has no layers");
        Path upper = containerDir.resolve("upper"), work = containerDir.resolve("work"), merged = containerDir.resolve("merged");
        try {
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(merged);
        } catch (IOException e) {
            throw new HutchException("cannot create the container's layer dirs in " + containerDir + ": " + e.getMessage(), e);
        }
        // overlay lists lowerdirs top first.
        List<String> lowers = new ArrayList<>();
        for (int i = lowerDirsBottomFirst.size() - 1; i >= 0; i--) lowers.add(lowerDirsBottomFirst.get(i).toString());
        String data = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + upper + ",workdir=" + work;
        if (data.length() > MAX_MOUNT_DATA) {
            List<Path> topFirst = new ArrayList<>();
            for (String l : lowers) topFirst.add(Path.of(l));
            data = "lowerdir=" + String.join(":", ShortLowerNames.linksFor(containerDir, topFirst)) + ",upperdir=" + upper + ",workdir=" + work;
        }
        if (data.length() > MAX_MOUNT_DATA)
            throw new HutchException("the image has too many layers for one overlay mount (" + lowers.size()
                    + " layers, " + data.length() + " bytes of options; the kernel takes 4095); squash it with commit");
        HelperMount m = new HelperMount("overlay", "/", "overlay", List.of(), data);
        return new RootfsPlan(name(), merged, List.of(m), upper, work, lowerDirsBottomFirst);
    }

    @Override
    public void remove(Path containerDir) {
        unmountCopyView(containerDir.resolve("merged"));
        for (String d : List.of("upper", "work", "merged", "l")) {
            Path p = containerDir.resolve(d);
            dev.hutch.util.Dirs.deleteRecursively(p);
        }
    }

    /**
     * hutch cp mounts a stopped container's overlay on its merged dir for the copy; one a crash
     * left there is unmounted before the dirs are deleted (a different device than its parent
     * tells a mount point without loading JNA in the common case).
     */
    private static void unmountCopyView(Path merged) {
        try {
            Object device = Files.getAttribute(merged, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (device.equals(Files.getAttribute(merged.getParent(), "unix:dev"))) return;
            dev.hutch.sys.Syscalls.jna().umount2(merged.toString(), dev.hutch.sys.Syscalls.MNT_DETACH);
        } catch (IOException | RuntimeException e) {
            // not there, or not a mount: nothing to undo
        }
    }
}
