package dev.hutch.userns;

import dev.hutch.HutchException;
import dev.hutch.util.FileLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the kernel cannot idmap the image's layers (before Linux 5.19, or a file system without
 * idmapped-mount support), each layer is copied once per range with its owners moved into it
 * (uid N becomes hostStart+N): {@code <layer>/userns/<hostStart>-<count>/}, next to the layer's
 * {@code fs} dir, so removing the layer (rmi, prune) removes its copies with it. A copy is made
 * under a lock, in a temp dir renamed into place, so a crash leaves no half copy under its name;
 * the next container given the same range (first fit hands out low ranges again) reuses it.
 */
public final class LayerCopies {
    /** The caller's {@code HUTCH_USERNS_LAYERS=copy} (or {@code idmap}) overrides the kernel check, for tests and odd hosts. */
    public static final String MODE_ENV = "HUTCH_USERNS_LAYERS";

    /** File systems whose mounts the kernel can idmap (as of 5.19; tmpfs since 6.3). */
    private static final Set<String> IDMAPPABLE = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "vfat", "ntfs3", "erofs");

    private LayerCopies() {}

    /** Whether the layers under {@code layersDir} need copies on this kernel. */
    public static boolean needed(Path layersDir, String osRelease, dev.hutch.config.CallerEnvironment caller) {
        String forced = caller.get(MODE_ENV);
        if ("copy".equals(forced)) return true;
        if ("idmap".equals(forced)) return false;
        int[] v = version(osRelease);
        if (v[0] < 5 || (v[0] == 5 && v[1] < 19)) return true;
        try {
            String type = Files.getFileStore(layersDir).type();
            if (type.equals("tmpfs")) return v[0] < 6 || (v[0] == 6 && v[1] < 3);
            return !IDMAPPABLE.contains(type);
        } catch (IOException e) {
            return true;
        }
    }

    static int[] version(String osRelease) {
        String[] f = (osRelease == null ? "" : osRelease.strip()).split("[.-]");
        try {
            return new int[] {Integer.parseInt(f[0]), f.length > 1 ? Integer.parseInt(f[1]) : 0};
        } catch (RuntimeException e) {
            return new int[] {0, 0};
        }
    }

    /** The copies of the layers (each a layer's {@code fs} dir, bottom first) for this range, made if missing. */
    public static List<Path> forRange(List<Path> layerFsDirsBottomFirst, IdMapping map) {
        List<Path> out = new ArrayList<>();
        for (Path fs : layerFsDirsBottomFirst) out.add(copyOf(fs, map));
        return out;
    }

    public static Path copyDir(Path fs, IdMapping map) {
        return fs.resolveSibling("userns").resolve(map.hostStart() + "-" + map.count());
    }

    private static Path copyOf(Path fs, IdMapping map) {
        Path copy = copyDir(fs, map);
        if (Files.isDirectory(copy)) return copy;
        return FileLock.with(copy.resolveSibling(".lock"), new java.util.function.Supplier<Path>() {
            @Override
            public Path get() {
                if (Files.isDirectory(copy)) return copy; // made by another run meanwhile
                Path tmp = copy.resolveSibling(".tmp-" + copy.getFileName() + "-" + ProcessHandle.current().pid());
                try {
                    dev.hutch.util.Dirs.deleteRecursively(tmp); // a crashed copy of this pid's predecessor
                    // cp -a keeps what a layer holds: whiteout devices, xattrs (trusted.overlay.*), links, modes
                    Process cp = new ProcessBuilder("cp", "-a", "--reflink=auto", fs.toString(), tmp.toString())
                            .redirectErrorStream(true).start();
                    String output = new String(cp.getInputStream().readAllBytes());
                    if (cp.waitFor() != 0) throw new IOException("cp -a failed: " + output.strip());
                    OwnerShift.intoRange(tmp, map);
                    Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE);
                    return copy;
                } catch (IOException e) {
                    dev.hutch.util.Dirs.deleteRecursively(tmp);
                    throw new HutchException("cannot make the chown-copy of layer " + fs + " for ids " + map.hostStart() + "+"
                            + map.count() + ": " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    dev.hutch.util.Dirs.deleteRecursively(tmp);
                    throw new HutchException("interrupted while copying layer " + fs, e);
                }
            }
        });
    }
}
