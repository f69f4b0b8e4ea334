package dev.hutch.cgroup.v1;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.V1Files;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.hutch.cgroup.FakeDirs.dir;
import static dev.hutch.cgroup.FakeDirs.remove;
import static dev.hutch.cgroup.FakeDirs.set;
import static dev.hutch.cgroup.FakeDirs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which v1 file gets which value, in which order, for each flag. */
class V1PlanTest {
    @TempDir Path tmp;

    private static final long MIB = 1024 * 1024;

    @Test
    void cpusBecomesPeriodThenQuota() {
        CgroupDir d = dir(tmp, "c", V1Files.child("cpu"));
        assertEquals(List.of("cpu.cfs_period_us=100000", "cpu.cfs_quota_us=50000"),
                show(new CpuV1().plan(Resources.builder().cpus(0.5).build(), d)));
        assertEquals(List.of("cpu.cfs_period_us=50000", "cpu.cfs_quota_us=75000"),
                show(new CpuV1().plan(Resources.builder().cpus(1.5).cpuPeriod(50_000L).build(), d)));
    }

    @Test
    void quotaPeriodAndSharesAsGiven() {
        CgroupDir d = dir(tmp, "c", V1Files.child("cpu"));
        List<CgroupWrite> plan = new CpuV1().plan(Resources.builder().cpuShares(512L).cpuPeriod(200_000L).cpuQuota(-1L).build(), d);
        assertEquals(List.of("cpu.shares=512", "cpu.cfs_period_us=200000", "cpu.cfs_quota_us=-1"), show(plan));
        assertEquals("--cpu-quota", plan.get(2).flag());
        assertEquals(List.of(), show(new CpuV1().plan(Resources.NONE, d)));
    }

    @Test
    void memoryAloneWithDockersDoubleSwapOnAFreshCgroupWritesMemoryFirst() {
        CgroupDir d = dir(tmp, "m", V1Files.child("memory"));
        // the manager turns -m 64m into memory-swap 128m (docker); current limit is unlimited
        assertEquals(List.of("memory.limit_in_bytes=" + 64 * MIB, "memory.memsw.limit_in_bytes=" + 128 * MIB),
                show(new MemoryV1().plan(Resources.builder().memory(64 * MIB).memorySwap(128 * MIB).build(), d)));
    }

    @Test
    void raisingMemoryAboveTheCurrentLimitWritesMemswFirst() {
        CgroupDir d = dir(tmp, "m", V1Files.child("memory"));
        set(d, "memory.limit_in_bytes", "" + 64 * MIB);
        set(d, "memory.memsw.limit_in_bytes", "" + 64 * MIB);
        assertEquals(List.of("memory.memsw.limit_in_bytes=" + 256 * MIB, "memory.limit_in_bytes=" + 128 * MIB),
                show(new MemoryV1().plan(Resources.builder().memory(128 * MIB).memorySwap(256 * MIB).build(), d)));
        assertEquals(List.of("memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=" + 32 * MIB),
                show(new MemoryV1().plan(Resources.builder().memory(32 * MIB).memorySwap(-1L).build(), d)));
    }

    @Test
    void memoryAboveTheCurrentMemswIsRefusedBeforeAnyWrite() {
        CgroupDir d = dir(tmp, "m", V1Files.child("memory"));
        set(d, "memory.memsw.limit_in_bytes", "" + 64 * MIB);
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> new MemoryV1().plan(Resources.builder().memory(100 * MIB).build(), d));
        assertEquals("--memory", e.field());
        assertTrue(e.getMessage().contains("--memory-swap"), e.getMessage());
    }

    @Test
    void withoutSwapAccountingOnlyTheMemoryLimitIsWritten() {
        CgroupDir d = dir(tmp, "m", V1Files.child("memory"));
        remove(d, "memory.memsw.limit_in_bytes");
        assertEquals(List.of("memory.limit_in_bytes=" + 16 * MIB, "memory.soft_limit_in_bytes=" + 8 * MIB),
                show(new MemoryV1().plan(Resources.builder().memory(16 * MIB).memorySwap(32 * MIB).memoryReservation(8 * MIB).build(), d)));
    }

    @Test
    void memoryStatsSubtractInactiveFileAndReadOomKills() {
        CgroupDir d = dir(tmp, "m", V1Files.child("memory"));
        set(d, "memory.usage_in_bytes", "10485760\n");
        set(d, "memory.stat", "cache 4194304\nrss 6291456\ntotal_inactive_file 2097152\n");
        set(d, "memory.max_usage_in_bytes", "16777216\n");
        set(d, "memory.limit_in_bytes", "33554432\n");
        set(d, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new MemoryV1().readStats(d, b);
        CgroupStats s = b.build();
        assertEquals(8388608, s.memoryUsage());
        assertEquals(33554432, s.memoryLimit());
        assertEquals(16777216, s.memoryMaxUsage());
        assertEquals(2, s.oomKills());
        set(d, "memory.limit_in_bytes", V1Files.UNLIMITED);
        CgroupStats.Builder b2 = CgroupStats.builder();
        new MemoryV1().readStats(d, b2);
        assertEquals(-1, b2.build().memoryLimit());
    }

    @Test
    void oomKillsUnknownOnKernelsWithoutTheCounter() {
        CgroupDir d = dir(tmp, "m", V1Files.child("memory"));
        set(d, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
        assertEquals(-1, new MemoryV1().oomKills(d));
    }

    @Test
    void pidsLimitZeroOrMinusOneIsMax() {
        CgroupDir d = dir(tmp, "p", V1Files.child("pids"));
        assertEquals(List.of("pids.max=max"), show(new PidsV1().plan(Resources.builder().pidsLimit(0L).build(), d)));
        assertEquals(List.of("pids.max=max"), show(new PidsV1().plan(Resources.builder().pidsLimit(-1L).build(), d)));
        assertEquals(List.of("pids.max=64"), show(new PidsV1().plan(Resources.builder().pidsLimit(64L).build(), d)));
        set(d, "pids.current", "3\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new PidsV1().readStats(d, b);
        assertEquals(3, b.build().pids());
        assertEquals(-1, b.build().pidsLimit());
    }

    @Test
    void blkioWeightFallsBackToBfqAndDevicesBecomeMajorMinor() {
        CgroupDir d = dir(tmp, "b", V1Files.child("blkio"));
        BlkioV1 blkio = new BlkioV1((flag, path) -> path.equals("/dev/vda") ? "254:0" : "8:16");
        Resources r = Resources.builder().blkioWeight(300)
                .deviceReadBps(new Resources.DeviceRate("/dev/vda", 1048576))
                .deviceWriteBps(new Resources.DeviceRate("/dev/sdb", 2097152)).build();
        assertEquals(List.of("blkio.bfq.weight=300", "blkio.throttle.read_bps_device=254:0 1048576",
                "blkio.throttle.write_bps_device=8:16 2097152"), show(blkio.plan(r, d)));
        set(d, "blkio.weight", "500\n");
        assertEquals("blkio.weight=300", blkio.plan(Resources.builder().blkioWeight(300).build(), d).get(0).toString());
    }

    @Test
    void iopsAndDeviceWeightsGoToTheirOwnFiles() {
        CgroupDir d = dir(tmp, "b", V1Files.child("blkio"));
        BlkioV1 blkio = new BlkioV1((flag, path) -> path.equals("/dev/vda") ? "254:0" : "8:16");
        Resources r = Resources.builder().deviceReadIops(new Resources.DeviceIops("/dev/vda", 1000))
                .deviceWriteIops(new Resources.DeviceIops("/dev/sdb", 500))
                .blkioWeightDevice(new Resources.DeviceWeight("/dev/vda", 200))
                .blkioWeightDevice(new Resources.DeviceWeight("/dev/sdb", 0)).build(); // 0: docker sets nothing
        assertEquals(List.of("blkio.throttle.read_iops_device=254:0 1000", "blkio.throttle.write_iops_device=8:16 500",
                "blkio.bfq.weight_device=254:0 200"), show(blkio.plan(r, d)));
        set(d, "blkio.weight_device", ""); // CFQ's file first, as for the weight
        assertEquals("blkio.weight_device=254:0 200", blkio.plan(Resources.builder()
                .blkioWeightDevice(new Resources.DeviceWeight("/dev/vda", 200)).build(), d).get(0).toString());
        remove(d, "blkio.weight_device");
        remove(d, "blkio.bfq.weight_device");
        HutchException e = assertThrows(HutchException.class, () -> blkio.plan(Resources.builder()
                .blkioWeightDevice(new Resources.DeviceWeight("/dev/vda", 200)).build(), d));
        assertTrue(e.getMessage().startsWith("--blkio-weight-device: \"/dev/vda:200\": this kernel has neither"), e.getMessage());
    }

    @Test
    void blkioWeightWithoutAnyWeightFileIsAClearError() {
        CgroupDir d = dir(tmp, "b", V1Files.child("blkio"));
        remove(d, "blkio.bfq.weight");
        HutchException e = assertThrows(HutchException.class,
                () -> new BlkioV1((f, p) -> "8:0").plan(Resources.builder().blkioWeight(300).build(), d));
        assertTrue(e.getMessage().startsWith("--blkio-weight: \"300\""), e.getMessage());
    }

    @Test
    void blkioStatsFromThrottleCounters() {
        CgroupDir d = dir(tmp, "b", V1Files.child("blkio"));
        set(d, "blkio.throttle.io_service_bytes_recursive", "254:0 Read 8192\n254:0 Write 1048576\n254:0 Total 1056768\nTotal 1056768\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new BlkioV1((f, p) -> "").readStats(d, b);
        assertEquals(8192, b.build().blkioReadBytes());
        assertEquals(1048576, b.build().blkioWriteBytes());
    }

    @Test
    void cpusetCopiesEmptyValuesDownFromTheParentAndOnlyThose() {
        CgroupDir parent = dir(tmp, "parent", V1Files.root("cpuset"));
        CgroupDir child = dir(tmp, "child", V1Files.child("cpuset"));
        assertEquals(List.of("cpuset.cpus=0-1", "cpuset.mems=0"), show(new CpusetV1().prepare(parent, child)));
        set(child, "cpuset.cpus", "1\n");
        set(child, "cpuset.mems", "0\n");
        assertEquals(List.of(), show(new CpusetV1().prepare(parent, child)));
        assertEquals(List.of("cpuset.cpus=0", "cpuset.mems=0"),
                show(new CpusetV1().plan(Resources.builder().cpusetCpus("0").cpusetMems("0").build(), child)));
    }

    @Test
    void devicesDenyAllThenAllowTheStandardNodes() {
        CgroupDir d = dir(tmp, "d", V1Files.child("devices"));
        List<String> plan = show(new DevicesV1().defaults(d));
        assertEquals("devices.deny=a", plan.get(0));
        assertTrue(plan.contains("devices.allow=c 1:3 rwm"));
        assertTrue(plan.contains("devices.allow=c 136:* rwm"));
        assertEquals(List.of(), new DevicesV1().plan(Resources.builder().memory(MIB * 8).build(), d));
    }

    @Test
    void cpuStatsFromCpuStatAndCpuacct() {
        CgroupDir cpu = dir(tmp, "cpu", V1Files.child("cpu"));
        CgroupDir acct = dir(tmp, "acct", V1Files.child("cpuacct"));
        set(cpu, "cpu.stat", "nr_periods 40\nnr_throttled 30\nthrottled_time 2500000000\nnr_bursts 0\nburst_time 0\n");
        set(acct, "cpuacct.usage", "1000000000\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new CpuacctV1().readStats(acct, b);
        new CpuV1().readStats(cpu, b);
        CgroupStats s = b.build();
        assertEquals(1_000_000_000L, s.cpuUsageNanos());
        assertEquals(40, s.periods());
        assertEquals(30, s.throttledPeriods());
        assertEquals(2_500_000_000L, s.throttledNanos());
        assertEquals(-1, s.memoryUsage());
    }

    @Test
    void freezerReportsFrozenOnlyWhenTheStateSaysSo() {
        CgroupDir d = dir(tmp, "f", V1Files.child("freezer"));
        FreezerV1 f = new FreezerV1();
        f.freeze(d);
        assertTrue(f.frozen(d));
        set(d, "freezer.state", "FREEZING\n");
        assertTrue(!f.frozen(d));
        f.thaw(d);
        assertEquals("THAWED", d.read("freezer.state"));
    }
}
