package dev.hutch.cgroup;

import dev.hutch.config.EngineConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fake host: a cgroup root in a temp dir with v1 and/or v2 hierarchies whose root and child
 * files look like this VM's (kernel 6.x), plus the mountinfo text that describes them.
 */
public final class FakeCgroupTree {
    public final Path root;
    public final FakeCgroupFs fs = new FakeCgroupFs();
    private final StringBuilder mountinfo = new StringBuilder();
    private int mountId = 30;

    public FakeCgroupTree(Path tmp) {
        this.root = tmp.resolve("cgroup");
        mkdirs(root);
        mountinfo.append("23 1 0:22 / /proc rw,nosuid - proc proc rw\n");
        mountinfo.append(mountId++).append(" 23 0:28 / ").append(root).append(" rw - tmpfs tmpfs rw,mode=755\n");
    }

    /** The hybrid layout of this VM: every controller v1, a v2 hierarchy with only hugetlb. */
    public static FakeCgroupTree hybrid(Path tmp) {
        FakeCgroupTree t = new FakeCgroupTree(tmp);
        for (String c : new String[]{"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"}) t.v1(c, c);
        t.v2("unified", "hugetlb");
        return t;
    }

    /** A pure v2 host (cgroup2 at the root itself). */
    public static FakeCgroupTree pureV2(Path tmp, String... controllers) {
        FakeCgroupTree t = new FakeCgroupTree(tmp);
        t.v2(null, controllers);
        return t;
    }

    public FakeCgroupTree v1(String dirName, String... controllers) {
        Path mount = root.resolve(dirName);
        mkdirs(mount);
        Map<String, String> child = new LinkedHashMap<>();
        child.put("cgroup.procs", "");
        for (String c : controllers) child.putAll(V1Files.child(c));
        fs.template(mount, child);
        write(mount.resolve("cgroup.procs"), "1\n");
        for (String c : controllers) V1Files.root(c).forEach((f, v) -> write(mount.resolve(f), v));
        mountinfo.append(mountId++).append(" 31 0:").append(mountId).append(" / ").append(mount)
                .append(" rw,relatime - cgroup cgroup rw,").append(String.join(",", controllers)).append('\n');
        return this;
    }

    /** @param dirName where under the root, or null for the root itself (a pure v2 host) */
    public FakeCgroupTree v2(String dirName, String... controllers) {
        Path mount = dirName == null ? root : root.resolve(dirName);
        mkdirs(mount);
        Map<String, String> child = new LinkedHashMap<>(V2Files.core());
        child.put("cgroup.controllers", "");
        for (String c : controllers) child.putAll(V2Files.child(c));
        fs.template(mount, child);
        write(mount.resolve("cgroup.controllers"), String.join(" ", controllers) + "\n");
        write(mount.resolve("cgroup.subtree_control"), "\n");
        write(mount.resolve("cgroup.procs"), "1\n");
        mountinfo.append(mountId++).append(" 31 0:").append(mountId).append(" / ").append(mount)
                .append(" rw,relatime - cgroup2 cgroup2 rw\n");
        return this;
    }

    public Path mountinfoFile() {
        Path p = root.getParent().resolve("mountinfo");
        write(p, mountinfo.toString());
        return p;
    }

    public String mountinfoText() { return mountinfo.toString(); }

    public EngineConfig config(String parent) {
        return new EngineConfig(root.resolve("run"), root.resolve("lib"), root, parent, Path.of("/proc"), root.resolve("netns"),
                "hutch0", EngineConfig.DEFAULT_SUBNET);
    }

    /** The manager over this tree, with a fake device lookup and a killer that only records. */
    public CgroupManager manager(String parent, java.util.List<Long> killed) {
        DeviceNumbers devices = (flag, path) -> path.equals("/dev/vda") ? "254:0" : "8:0";
        return Cgroups.forHost(config(parent), mountinfoFile(), fs, devices, killed::add);
    }

    public static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
