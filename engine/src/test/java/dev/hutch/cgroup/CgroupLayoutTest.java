package dev.hutch.cgroup;

import dev.hutch.HutchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupLayoutTest {

    /** This VM's /proc/self/mountinfo, cgroup part. */
    static final String HYBRID = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    /** A systemd host with co-mounted controllers and shared-subtree tags before the separator. */
    static final String SYSTEMD_V1 = """
            25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            28 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
            31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct
            32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,net_cls,net_prio
            33 25 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
            40 25 0:31 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,cpuset,clone_children
            """;

    static final String PURE_V2 = """
            25 18 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            99 98 0:22 / /var/lib/hutch/containers/x/merged/sys/fs/cgroup ro - cgroup2 cgroup2 rw
            """;

    @Test
    void parsesControllersOfV1MountsAndSkipsNamedHierarchies() {
        List<MountinfoParser.CgroupMount> mounts = MountinfoParser.cgroupMounts(SYSTEMD_V1);
        assertEquals(4, mounts.size());
        assertEquals(Set.of("cpu", "cpuacct"), mounts.get(0).controllers());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), mounts.get(0).mountPoint());
        assertEquals(Set.of("cpuset"), mounts.get(3).controllers());
    }

    @Test
    void hybridHostUsesV1ForEveryRealControllerAndV2OnlyForHugetlb(@TempDir Path tmp) {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupLayout layout = CgroupLayout.detect(t.mountinfoText(), t.root, t.fs);
        assertEquals(t.root.resolve("memory"), layout.v1("memory").orElseThrow().mountPoint());
        assertTrue(layout.v2("memory").isEmpty());
        assertTrue(layout.v2("hugetlb").isPresent());
        assertEquals("blkio=v1 cpu=v1 cpuacct=v1 cpuset=v1 devices=v1 freezer=v1 hugetlb=v2 memory=v1 pids=v1", layout.describe());
    }

    @Test
    void realHybridMountinfoTextDetects() {
        // the controllers file of the v2 root is not readable here: v2 then offers nothing
        CgroupLayout layout = CgroupLayout.detect(HYBRID, Path.of("/sys/fs/cgroup"), new FakeCgroupFs() {
            @Override public String read(Path file) throws java.io.IOException { throw new java.nio.file.NoSuchFileException(file.toString()); }
        });
        assertEquals(Path.of("/sys/fs/cgroup/pids"), layout.v1("pids").orElseThrow().mountPoint());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), layout.v2().orElseThrow().mountPoint());
        assertEquals(9, layout.hierarchies().size());
    }

    @Test
    void coMountedControllersShareOneHierarchy() {
        CgroupLayout layout = CgroupLayout.detect(SYSTEMD_V1, Path.of("/sys/fs/cgroup"), new FakeCgroupFs());
        assertEquals(layout.v1("cpu").orElseThrow(), layout.v1("cpuacct").orElseThrow());
        assertTrue(layout.v1("pids").isEmpty());
        assertTrue(layout.v2().isEmpty());
    }

    @Test
    void mountsOutsideTheCgroupRootAreIgnored(@TempDir Path tmp) {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "cpu", "memory", "pids");
        String text = t.mountinfoText() + "99 98 0:22 / /elsewhere/sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n";
        CgroupLayout layout = CgroupLayout.detect(text, t.root, t.fs);
        assertTrue(layout.v1("memory").isEmpty());
        assertEquals(t.root, layout.v2("memory").orElseThrow().mountPoint());
        assertFalse(layout.v2("io").isPresent());
    }

    @Test
    void noHierarchyUnderTheRootIsAClearError() {
        HutchException e = assertThrows(HutchException.class,
                () -> CgroupLayout.detect(PURE_V2, Path.of("/nowhere"), new FakeCgroupFs()));
        assertTrue(e.getMessage().contains("no cgroup hierarchy is mounted under /nowhere"), e.getMessage());
    }
}
