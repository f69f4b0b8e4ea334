package dev.hutch.cgroup;

import dev.hutch.HutchException;
import dev.hutch.spec.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.hutch.cgroup.FakeCgroupTree.read;
import static dev.hutch.cgroup.FakeCgroupTree.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manager end to end on fake cgroup trees shaped like this VM (hybrid) and like a pure v2 host. */
class HostCgroupManagerTest {
    @TempDir Path tmp;
    private final List<Long> killed = new ArrayList<>();
    private static final long MIB = 1024 * 1024;

    @Test
    void hybridHostCreatesOneDirectoryPerV1ControllerAndWritesTheLimits() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        ContainerCgroup cg = t.manager("hutch", killed).create("c1", Resources.builder().cpus(0.5).memory(64 * MIB)
                .pidsLimit(32L).cpusetCpus("1").blkioWeight(200).build());
        Path r = t.root;
        assertEquals(List.of("cpuset", "cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer", "unified"),
                cg.paths().stream().map(p -> r.relativize(p).getName(0).toString()).toList());
        assertTrue(cg.paths().stream().allMatch(p -> p.endsWith("hutch/c1")));
        assertEquals("50000", read(r.resolve("cpu/hutch/c1/cpu.cfs_quota_us")));
        assertEquals("100000", read(r.resolve("cpu/hutch/c1/cpu.cfs_period_us")));
        assertEquals("" + 64 * MIB, read(r.resolve("memory/hutch/c1/memory.limit_in_bytes")));
        // docker: -m alone allows as much swap again
        assertEquals("" + 128 * MIB, read(r.resolve("memory/hutch/c1/memory.memsw.limit_in_bytes")));
        assertEquals("32", read(r.resolve("pids/hutch/c1/pids.max")));
        assertEquals("200", read(r.resolve("blkio/hutch/c1/blkio.bfq.weight")));
        assertEquals("1", read(r.resolve("cpuset/hutch/c1/cpuset.cpus")));
        assertTrue(read(r.resolve("devices/hutch/c1/devices.deny")).startsWith("a"));
        // the v2 hierarchy gets a directory for the device program only: no files are written there
        assertEquals(r.resolve("unified/hutch/c1"), cg.deviceProgramDir());
        assertTrue(t.fs.writesUnder(t.root).stream().noneMatch(w -> w.startsWith("unified/")));
        assertEquals(cg.paths().stream().map(p -> p.resolve("cgroup.procs")).toList(), cg.procsFiles());
        assertEquals(r.resolve("memory/hutch/c1/memory.oom_control"), cg.oomFile());
    }

    @Test
    void cpusetIsCopiedDownThroughTheParentBeforeTheContainersOwnValue() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        t.manager("hutch", killed).create("c1", Resources.builder().cpusetCpus("0").build());
        assertEquals("0-1", read(t.root.resolve("cpuset/hutch/cpuset.cpus")));
        assertEquals("0", read(t.root.resolve("cpuset/hutch/cpuset.mems")));
        List<String> cpusetWrites = t.fs.writesUnder(t.root).stream().filter(w -> w.startsWith("cpuset/")).toList();
        assertEquals(List.of("cpuset/hutch/cpuset.cpus=0-1", "cpuset/hutch/cpuset.mems=0",
                "cpuset/hutch/c1/cpuset.cpus=0-1", "cpuset/hutch/c1/cpuset.mems=0", "cpuset/hutch/c1/cpuset.cpus=0"), cpusetWrites);
    }

    @Test
    void pureV2EnablesControllersInEverySubtreeControlOnTheWayDown() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "cpuset", "cpu", "io", "memory", "pids", "hugetlb");
        ContainerCgroup cg = t.manager("hutch/ci", killed).create("c2", Resources.builder().cpus(1.5).memory(32 * MIB).memorySwap(32 * MIB)
                .pidsLimit(-1L).build());
        Path leaf = t.root.resolve("hutch/ci/c2");
        assertEquals(List.of(leaf), cg.paths());
        assertEquals("cpuset cpu memory pids io", read(t.root.resolve("cgroup.subtree_control")));
        assertEquals("cpuset cpu memory pids io", read(t.root.resolve("hutch/cgroup.subtree_control")));
        assertEquals("cpuset cpu memory pids io", read(t.root.resolve("hutch/ci/cgroup.subtree_control")));
        assertEquals("", read(leaf.resolve("cgroup.subtree_control")));
        assertEquals("150000 100000", read(leaf.resolve("cpu.max")));
        assertEquals("" + 32 * MIB, read(leaf.resolve("memory.max")));
        assertEquals("0", read(leaf.resolve("memory.swap.max")));
        assertEquals("max", read(leaf.resolve("pids.max")));
        assertEquals(leaf.resolve("memory.events"), cg.oomFile());
    }

    @Test
    void aRefusedWriteNamesTheFlagAndRemovesEverythingMadeForTheContainer() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        t.fs.refuse("pids.max", "Invalid argument");
        HutchException e = assertThrows(HutchException.class,
                () -> t.manager("hutch", killed).create("c3", Resources.builder().memory(64 * MIB).pidsLimit(5L).build()));
        assertTrue(e.getMessage().startsWith("--pids-limit: \"5\": the kernel refused \"5\" in "), e.getMessage());
        assertTrue(e.getMessage().contains("(Invalid argument)"), e.getMessage());
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "freezer", "devices"))
            assertFalse(Files.exists(t.root.resolve(c).resolve("hutch/c3")), c);
    }

    @Test
    void aLeftoverCgroupWithTheSameIdIsNotReusedNorRemoved() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = t.manager("hutch", killed);
        m.create("c4", Resources.NONE);
        HutchException e = assertThrows(HutchException.class, () -> m.create("c4", Resources.NONE));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertTrue(Files.isDirectory(t.root.resolve("cpu/hutch/c4")));
    }

    @Test
    void updateRewritesOnlyTheGivenLimits() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        ContainerCgroup cg = t.manager("hutch", killed).create("c5", Resources.builder().memory(64 * MIB).pidsLimit(10L).build());
        cg.update(Resources.builder().memory(256 * MIB).memorySwap(512 * MIB).build());
        Path mem = t.root.resolve("memory/hutch/c5");
        assertEquals("" + 256 * MIB, read(mem.resolve("memory.limit_in_bytes")));
        assertEquals("" + 512 * MIB, read(mem.resolve("memory.memsw.limit_in_bytes")));
        assertEquals("10", read(t.root.resolve("pids/hutch/c5/pids.max")));
        // raising: memsw went first, or the kernel would have refused memory > memsw
        List<String> w = t.fs.writesUnder(t.root);
        assertTrue(w.indexOf("memory/hutch/c5/memory.memsw.limit_in_bytes=" + 512 * MIB)
                < w.indexOf("memory/hutch/c5/memory.limit_in_bytes=" + 256 * MIB));
    }

    @Test
    void openFromRecordedPathsFindsTheSameDirectories() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = t.manager("hutch", killed);
        ContainerCgroup made = m.create("c6", Resources.NONE);
        ContainerCgroup opened = m.open("c6", made.paths().stream().map(Path::toString).toList());
        assertEquals(made.paths(), opened.paths());
        assertEquals(made.oomFile(), opened.oomFile());
        assertEquals(made.paths(), m.open("c6", List.of()).paths());
    }

    @Test
    void openRefusesARecordedPathThatIsNotTheContainers() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = t.manager("hutch", killed);
        assertThrows(HutchException.class, () -> m.open("c7", List.of(t.root.resolve("memory/hutch/other").toString())));
        assertThrows(HutchException.class, () -> m.open("c7", List.of(t.root.resolve("memory/hutch/../../c7").toString())));
    }

    @Test
    void statsPidsAndOomFromTheFiles() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        ContainerCgroup cg = t.manager("hutch", killed).create("c8", Resources.builder().memory(16 * MIB).pidsLimit(8L).build());
        Path r = t.root;
        write(r.resolve("cpuacct/hutch/c8/cpuacct.usage"), "123456789\n");
        write(r.resolve("memory/hutch/c8/memory.usage_in_bytes"), "4194304\n");
        write(r.resolve("pids/hutch/c8/pids.current"), "2\n");
        write(r.resolve("pids/hutch/c8/cgroup.procs"), "4242\n4243\n");
        write(r.resolve("memory/hutch/c8/cgroup.procs"), "4242\n4243\n");
        CgroupStats s = cg.stats();
        assertEquals(123456789, s.cpuUsageNanos());
        assertEquals(4194304, s.memoryUsage());
        assertEquals(16 * MIB, s.memoryLimit());
        assertEquals(2, s.pids());
        assertEquals(8, s.pidsLimit());
        assertEquals(0, s.oomKills());
        assertEquals(List.of(4242L, 4243L), cg.pids());
        assertFalse(cg.oomKilled());
        write(r.resolve("memory/hutch/c8/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        assertTrue(cg.oomKilled());
    }

    @Test
    void freezeAndThawThroughTheV1Freezer() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        ContainerCgroup cg = t.manager("hutch", killed).create("c9", Resources.NONE);
        cg.freeze();
        assertTrue(cg.frozen());
        assertEquals("FROZEN", read(t.root.resolve("freezer/hutch/c9/freezer.state")));
        cg.thaw();
        assertFalse(cg.frozen());
    }

    @Test
    void destroyKillsListedPidsRemovesEveryDirectoryAndCanRunTwice() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = t.manager("hutch", killed);
        ContainerCgroup cg = m.create("c10", Resources.NONE);
        Path procs = t.root.resolve("memory/hutch/c10/cgroup.procs");
        write(procs, "777\n");
        // the fake "kernel": the process leaves the cgroup once killed
        FakeCgroupTree fakeKernel = t;
        CgroupManager killing = Cgroups.forHost(fakeKernel.config("hutch"), t.mountinfoFile(), t.fs, (f, p) -> "8:0", pid -> {
            killed.add(pid);
            write(procs, "");
        });
        ContainerCgroup reopened = killing.open("c10", cg.paths().stream().map(Path::toString).toList());
        reopened.destroy();
        assertEquals(List.of(777L), killed);
        for (Path p : cg.paths()) assertFalse(Files.exists(p), p.toString());
        reopened.destroy();
        m.removeParentIfEmpty();
        assertFalse(Files.exists(t.root.resolve("memory/hutch")));
        assertTrue(Files.exists(t.root.resolve("memory")));
    }

    @Test
    void destroyAlsoRemovesChildCgroupsTheContainerMade() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        ContainerCgroup cg = t.manager("hutch", killed).create("c11", Resources.NONE);
        Files.createDirectories(t.root.resolve("pids/hutch/c11/inner/deeper"));
        cg.destroy();
        assertFalse(Files.exists(t.root.resolve("pids/hutch/c11")));
    }

    @Test
    void statsOfARemovedContainerSayItIsGone() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        ContainerCgroup cg = t.manager("hutch", killed).create("c12", Resources.NONE);
        cg.destroy();
        HutchException e = assertThrows(HutchException.class, cg::stats);
        assertTrue(e.getMessage().contains("gone"), e.getMessage());
    }

    @Test
    void aParentOutsideHutchOrABadIdIsRefused() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        assertThrows(HutchException.class, () -> t.manager("system.slice", killed));
        assertThrows(HutchException.class, () -> t.manager("/hutch", killed));
        assertThrows(HutchException.class, () -> t.manager("hutch/../x", killed));
        CgroupManager m = t.manager("hutch", killed);
        assertThrows(HutchException.class, () -> m.create("../x", Resources.NONE));
        assertThrows(HutchException.class, () -> m.create("a/b", Resources.NONE));
    }

    @Test
    void withoutAFreezerPauseSaysWhy(@TempDir Path other) {
        FakeCgroupTree t = new FakeCgroupTree(other).v1("memory", "memory");
        ContainerCgroup cg = t.manager("hutch", killed).create("c13", Resources.NONE);
        HutchException e = assertThrows(HutchException.class, cg::freeze);
        assertTrue(e.getMessage().contains("no freezer"), e.getMessage());
        assertFalse(cg.frozen());
        assertNull(new FakeCgroupTree(tmp.resolve("x")).v1("pids", "pids").manager("hutch", killed).create("c14", Resources.NONE).oomFile());
    }

    @Test
    void describeNamesTheVersionOfEachController() {
        assertEquals("blkio=v1 cpu=v1 cpuacct=v1 cpuset=v1 devices=v1 freezer=v1 hugetlb=v2 memory=v1 pids=v1 (parent hutch)",
                FakeCgroupTree.hybrid(tmp).manager("hutch", killed).describe());
    }
}
