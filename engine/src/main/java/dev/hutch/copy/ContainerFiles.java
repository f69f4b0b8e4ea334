package dev.hutch.copy;

import dev.hutch.HutchException;
import dev.hutch.layer.RootfsRecord;
import dev.hutch.state.ContainerState;
import dev.hutch.sys.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's files as the host can reach them, for docker cp and the archive API. A running
 * container's root is its init's {@code /proc/PID/root}: the very tree its processes see, volumes
 * included. A stopped one is not mounted anywhere (the helper mounts its rootfs inside the
 * container's own mount namespace), so its overlay is mounted on its {@code merged} dir for the
 * copy and unmounted after ({@link dev.hutch.layer.OverlayDriver#remove} unmounts one a crash
 * left); a copy-driver container's tree is a plain directory already. Every path is resolved
 * inside the root ({@link ScopedPath}).
 */
public final class ContainerFiles implements AutoCloseable {
    private static final int OVERLAY_DATA_MAX = 4095;

    private final String name;
    private final Path root;
    private final Path mounted; // our own overlay mount, or null

    private ContainerFiles(String name, Path root, Path mounted) {
        this.name = name;
        this.root = root;
        this.mounted = mounted;
    }

    /** {@code procRoot}: the host's /proc; {@code dataDir}: the container's dir under the lib root. */
    public static ContainerFiles open(ContainerState s, Path procRoot, Path dataDir) {
        if (s.isRunning() && s.pid() > 0) {
            Path root = procRoot.resolve(Long.toString(s.pid())).resolve("root");
            if (Files.isDirectory(root)) return new ContainerFiles(s.name(), root, null);
        }
        RootfsRecord r = s.rootfs();
        if (r.isEmpty())
            throw new HutchException("container " + s.name() + " has no file system yet (it never started): start it, then copy");
        if ("copy".equals(r.driver())) return new ContainerFiles(s.name(), r.upperDir(), null);
        if (!"overlay".equals(r.driver()))
            throw new HutchException("cp into a stopped container needs the overlay or copy layer driver (container " + s.name()
                    + " uses " + r.driver() + "): start it first");
        List<String> lowers = new ArrayList<>();
        for (int i = r.lowerDirs().size() - 1; i >= 0; i--) lowers.add(r.lowerDirs().get(i).toString());
        String data = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + r.upperDir() + ",workdir=" + r.workDir();
        if (data.length() > OVERLAY_DATA_MAX)
            throw new HutchException("container " + s.name() + " has too many layers to mount from here: start it, then copy");
        Path merged = dataDir.resolve("merged");
        try {
            Files.createDirectories(merged);
        } catch (IOException e) {
            throw new HutchException("cannot make " + merged + ": " + e.getMessage(), e);
        }
        Syscalls.jna().mount("overlay", merged.toString(), "overlay", 0, data);
        return new ContainerFiles(s.name(), merged, merged);
    }

    /** The container's root as a host path (a magic link for a running one: resolve with {@link #resolve}). */
    public Path root() { return root; }

    public ScopedPath resolve(String path, boolean followLast) { return ScopedPath.resolve(root, path, followLast); }

    /** docker's stat of a path: its last component not followed; a symlink says where it leads inside. */
    public PathStat stat(String path) {
        ScopedPath p = resolve(path, false);
        String target = null;
        if (Files.isSymbolicLink(p.host())) target = resolve(path, true).inContainer();
        return PathStat.of(p.host(), ScopedPath.baseName(path), target, shown(path));
    }

    /** The tar docker's archive GET sends: the path (last link not followed, unless asked) under its base name. */
    public void archive(String path, boolean followLast, OutputStream out) throws IOException {
        ScopedPath p = resolve(path, followLast || ScopedPath.assertsDirectory(path));
        if (!Files.exists(p.host(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw PathStat.notFound(shown(path));
        if (ScopedPath.assertsDirectory(path) && !Files.isDirectory(p.host()))
            throw new HutchException("not a directory: " + path + " in container " + name);
        TreeArchiver.write(p.host(), ScopedPath.baseName(path), out);
    }

    /** docker's archive PUT: {@code tar} unpacked into the directory {@code dir}. */
    public void extract(String dir, InputStream tar, TreeExtractor.Owners owners, boolean noOverwriteDirNonDir) throws IOException {
        ScopedPath d = resolve(dir, true);
        if (!Files.exists(d.host())) throw PathStat.notFound(shown(dir));
        if (!Files.isDirectory(d.host())) throw new HutchException("extraction point is not a directory: " + dir + " in container " + name);
        new TreeExtractor(root, owners, noOverwriteDirNonDir).extract(tar, d.inContainer());
    }

    public String shown(String path) { return path + " in container " + name; }

    @Override
    public void close() {
        if (mounted != null) Syscalls.jna().umount2(mounted.toString(), Syscalls.MNT_DETACH);
    }
}
