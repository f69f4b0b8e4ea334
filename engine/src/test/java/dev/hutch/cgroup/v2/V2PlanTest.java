package dev.hutch.cgroup.v2;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.V2Files;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which v2 file gets which value for each flag. */
class V2PlanTest {
    @TempDir Path tmp;

    private static final long MIB = 1024 * 1024;

    @Test
    void sharesMapToWeightByRuncsFormula() {
        assertEquals(1, CpuV2.weightFromShares(2));
        assertEquals(39, CpuV2.weightFromShares(1024));
        assertEquals(10000, CpuV2.weightFromShares(262144));
        CgroupDir d = dir(tmp, "c", V2Files.child("cpu"));
        assertEquals(List.of("cpu.weight=20"), show(new CpuV2().plan(Resources.builder().cpuShares(512L).build(), d)));
    }

    @Test
    void cpusWriteQuotaAndPeriodInOneLine() {
        CgroupDir d = dir(tmp, "c", V2Files.child("cpu"));
        assertEquals(List.of("cpu.max=25000 100000"), show(new CpuV2().plan(Resources.builder().cpus(0.25).build(), d)));
        assertEquals(List.of("cpu.max=max 100000"), show(new CpuV2().plan(Resources.builder().cpuQuota(-1L).build(), d)));
    }

    @Test
    void aQuotaOrPeriodAloneKeepsTheOtherHalfOfCpuMax() {
        CgroupDir d = dir(tmp, "c", V2Files.child("cpu"));
        set(d, "cpu.max", "30000 50000\n");
        assertEquals(List.of("cpu.max=30000 200000"), show(new CpuV2().plan(Resources.builder().cpuPeriod(200_000L).build(), d)));
        assertEquals(List.of("cpu.max=10000 50000"), show(new CpuV2().plan(Resources.builder().cpuQuota(10_000L).build(), d)));
    }

    @Test
    void swapMaxIsMemorySwapMinusMemory() {
        CgroupDir d = dir(tmp, "m", V2Files.child("memory"));
        Resources r = Resources.builder().memory(64 * MIB).memorySwap(128 * MIB).memoryReservation(32 * MIB).build();
        assertEquals(List.of("memory.max=" + 64 * MIB, "memory.swap.max=" + 64 * MIB, "memory.low=" + 32 * MIB),
                show(new MemoryV2().plan(r, d)));
        assertEquals(List.of("memory.max=" + 64 * MIB, "memory.swap.max=0"),
                show(new MemoryV2().plan(Resources.builder().memory(64 * MIB).memorySwap(64 * MIB).build(), d)));
        assertEquals(List.of("memory.max=" + 64 * MIB, "memory.swap.max=max"),
                show(new MemoryV2().plan(Resources.builder().memory(64 * MIB).memorySwap(-1L).build(), d)));
    }

    @Test
    void swapAloneIsCountedFromTheCurrentMemoryMax() {
        CgroupDir d = dir(tmp, "m", V2Files.child("memory"));
        set(d, "memory.max", "" + 16 * MIB);
        assertEquals(List.of("memory.swap.max=" + 16 * MIB), show(new MemoryV2().plan(Resources.builder().memorySwap(32 * MIB).build(), d)));
        set(d, "memory.max", "max\n");
        assertThrows(InvalidSpecException.class, () -> new MemoryV2().plan(Resources.builder().memorySwap(32 * MIB).build(), d));
    }

    @Test
    void withoutSwapAccountingSwapIsSkipped() {
        CgroupDir d = dir(tmp, "m", V2Files.child("memory"));
        remove(d, "memory.swap.max");
        assertEquals(List.of("memory.max=" + 8 * MIB), show(new MemoryV2().plan(Resources.builder().memory(8 * MIB).memorySwap(16 * MIB).build(), d)));
    }

    @Test
    void memoryStatsFromCurrentStatPeakAndEvents() {
        CgroupDir d = dir(tmp, "m", V2Files.child("memory"));
        set(d, "memory.current", "10485760\n");
        set(d, "memory.stat", "anon 6291456\nfile 4194304\ninactive_file 1048576\n");
        set(d, "memory.peak", "20971520\n");
        set(d, "memory.max", "33554432\n");
        set(d, "memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new MemoryV2().readStats(d, b);
        CgroupStats s = b.build();
        assertEquals(9437184, s.memoryUsage());
        assertEquals(33554432, s.memoryLimit());
        assertEquals(20971520, s.memoryMaxUsage());
        assertEquals(1, s.oomKills());
        assertEquals("memory.events", new MemoryV2().oomFileName());
    }

    @Test
    void pidsAndCpuStats() {
        CgroupDir p = dir(tmp, "p", V2Files.child("pids"));
        assertEquals(List.of("pids.max=max"), show(new PidsV2().plan(Resources.builder().pidsLimit(0L).build(), p)));
        assertEquals(List.of("pids.max=10"), show(new PidsV2().plan(Resources.builder().pidsLimit(10L).build(), p)));
        CgroupDir c = dir(tmp, "c", V2Files.child("cpu"));
        set(c, "cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 7\nnr_throttled 3\nthrottled_usec 250\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new CpuV2().readStats(c, b);
        CgroupStats s = b.build();
        assertEquals(1_500_000, s.cpuUsageNanos());
        assertEquals(7, s.periods());
        assertEquals(3, s.throttledPeriods());
        assertEquals(250_000, s.throttledNanos());
    }

    @Test
    void ioWeightPrefersBfqThenConvertsForIoWeight() {
        CgroupDir d = dir(tmp, "io", V2Files.child("io"));
        IoV2 io = new IoV2((f, p) -> "254:0");
        assertEquals(List.of("io.weight=4950"), show(io.plan(Resources.builder().blkioWeight(500).build(), d)));
        assertEquals(1, IoV2.ioWeightFromBlkio(10));
        assertEquals(10000, IoV2.ioWeightFromBlkio(1000));
        set(d, "io.bfq.weight", "default 100\n");
        assertEquals(List.of("io.bfq.weight=500"), show(io.plan(Resources.builder().blkioWeight(500).build(), d)));
        remove(d, "io.bfq.weight");
        remove(d, "io.weight");
        assertThrows(HutchException.class, () -> io.plan(Resources.builder().blkioWeight(500).build(), d));
    }

    @Test
    void deviceRatesGoToIoMaxOneKeyPerWrite() {
        CgroupDir d = dir(tmp, "io", V2Files.child("io"));
        Resources r = Resources.builder().deviceReadBps(new Resources.DeviceRate("/dev/vda", 1048576))
                .deviceWriteBps(new Resources.DeviceRate("/dev/vda", 524288)).build();
        assertEquals(List.of("io.max=254:0 rbps=1048576", "io.max=254:0 wbps=524288"), show(new IoV2((f, p) -> "254:0").plan(r, d)));
        set(d, "io.stat", "254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
        CgroupStats.Builder b = CgroupStats.builder();
        new IoV2((f, p) -> "").readStats(d, b);
        assertEquals(4096, b.build().blkioReadBytes());
        assertEquals(8192, b.build().blkioWriteBytes());
    }

    @Test
    void iopsGoToIoMaxAndDeviceWeightsToTheWeightFile() {
        CgroupDir d = dir(tmp, "io", V2Files.child("io"));
        Resources r = Resources.builder().deviceReadIops(new Resources.DeviceIops("/dev/vda", 1000))
                .deviceWriteIops(new Resources.DeviceIops("/dev/vda", 500))
                .blkioWeightDevice(new Resources.DeviceWeight("/dev/vda", 1000)).build();
        // io.weight's scale is 1..10000: runc's conversion, as for --blkio-weight
        assertEquals(List.of("io.max=254:0 riops=1000", "io.max=254:0 wiops=500", "io.weight=254:0 10000"),
                show(new IoV2((f, p) -> "254:0").plan(r, d)));
        set(d, "io.bfq.weight", "default 100\n");
        assertEquals("io.bfq.weight=254:0 200", new IoV2((f, p) -> "254:0").plan(Resources.builder()
                .blkioWeightDevice(new Resources.DeviceWeight("/dev/vda", 200)).build(), d).get(0).toString());
    }

    @Test
    void subtreeControlEnablesOnlyWhatIsMissing() {
        CgroupDir parent = dir(tmp, "parent", V2Files.core());
        CgroupDir child = dir(tmp, "child", V2Files.core());
        assertEquals(List.of("cgroup.subtree_control=+memory"), show(new MemoryV2().prepare(parent, child)));
        set(parent, "cgroup.subtree_control", "cpu memory\n");
        assertEquals(List.of(), show(new MemoryV2().prepare(parent, child)));
        assertEquals(List.of("cgroup.subtree_control=+pids"), show(new PidsV2().prepare(parent, child)));
        assertEquals(List.of(), show(new FreezerV2().prepare(parent, child)));
    }

    @Test
    void freezerWaitsForTheEventsFile() {
        CgroupDir d = dir(tmp, "f", V2Files.core());
        FreezerV2 f = new FreezerV2();
        assertFalse(f.frozen(d));
        set(d, "cgroup.events", "populated 1\nfrozen 1\n");
        assertTrue(f.frozen(d));
        set(d, "cgroup.events", "populated 1\nfrozen 0\n");
        f.thaw(d);
        assertEquals("0", d.read("cgroup.freeze"));
    }
}
