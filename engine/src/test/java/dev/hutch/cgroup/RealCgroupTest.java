package dev.hutch.cgroup;

import dev.hutch.HutchException;
import dev.hutch.spec.Resources;
import dev.hutch.testing.RequiresCgroupV2;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.hutch.cgroup.RealCgroups.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real cgroupfs of this host, under {@code hutch/test-<random>}: every limit is read back from
 * the kernel's own file, processes really join, freeze, get OOM-killed and are killed on destroy.
 * Version-aware: it checks the v1 file where the controller is v1 here and the v2 file otherwise.
 */
@RequiresRoot
class RealCgroupTest {
    private final RealCgroups real = new RealCgroups();
    private static final long MIB = 1024 * 1024;

    @AfterEach
    void cleanUp() {
        real.cleanUp();
        assertEquals(List.of(), real.leftovers(), "cgroups left behind");
    }

    @Test
    void everyLimitIsInTheKernelsFile() {
        ContainerCgroup cg = real.create("limits", Resources.builder().cpus(0.5).cpuShares(512L).cpusetCpus("0").cpusetMems("0")
                .memory(64 * MIB).memorySwap(96 * MIB).memoryReservation(32 * MIB).pidsLimit(50L).build());
        String quota = file(cg, "cpu.cfs_quota_us", "cpu.max");
        assertTrue(quota.equals("50000") || quota.equals("50000 100000"), quota);
        String shares = file(cg, "cpu.shares", "cpu.weight");
        assertTrue(shares.equals("512") || shares.equals("20"), shares);
        assertEquals("0", file(cg, "cpuset.cpus"));
        assertEquals("0", file(cg, "cpuset.mems"));
        assertEquals("" + 64 * MIB, file(cg, "memory.limit_in_bytes", "memory.max"));
        String swap = file(cg, "memory.memsw.limit_in_bytes", "memory.swap.max");
        if (swap != null) assertTrue(swap.equals("" + 96 * MIB) || swap.equals("" + 32 * MIB), swap);
        assertEquals("" + 32 * MIB, file(cg, "memory.soft_limit_in_bytes", "memory.low"));
        assertEquals("50", file(cg, "pids.max"));
        for (Path p : cg.paths()) assertTrue(Files.isDirectory(p), p + " exists");
        List<Path> paths = cg.paths();
        cg.destroy();
        for (Path p : paths) assertFalse(Files.exists(p), p + " removed");
        cg.destroy(); // idempotent
    }

    @Test
    void blkioWeightAndDeviceRatesOnARealDisk() throws Exception {
        String disk = List.of("/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/xvda").stream().filter(d -> Files.exists(Path.of(d)))
                .findFirst().orElse(null);
        Assumptions.assumeTrue(disk != null, "no /dev/vda, sda, nvme0n1 or xvda on this host to throttle");
        String majMin = DeviceNumbers.host().majorMinor("--device-read-bps", disk);
        ContainerCgroup cg = real.create("io", Resources.builder().blkioWeight(300)
                .deviceReadBps(new Resources.DeviceRate(disk, MIB)).deviceWriteBps(new Resources.DeviceRate(disk, 2 * MIB)).build());
        String weight = file(cg, "blkio.weight") != null ? file(cg, "blkio.weight")
                : file(cg, "blkio.bfq.weight") != null ? file(cg, "blkio.bfq.weight") : file(cg, "io.bfq.weight", "io.weight");
        assertTrue(weight.endsWith("300") || weight.endsWith("" + dev.hutch.cgroup.v2.IoV2.ioWeightFromBlkio(300)), weight);
        String read = file(cg, "blkio.throttle.read_bps_device");
        if (read != null) {
            assertEquals(majMin + " " + MIB, read);
            assertEquals(majMin + " " + 2 * MIB, file(cg, "blkio.throttle.write_bps_device"));
        } else {
            assertTrue(file(cg, "io.max").contains(majMin + " rbps=" + MIB + " wbps=" + 2 * MIB), file(cg, "io.max"));
        }
    }

    @Test
    void aValueTheKernelRefusesNamesTheFlagAndLeavesNothing() {
        int cpus = Runtime.getRuntime().availableProcessors();
        // past the validator on purpose: CPU 64 does not exist here
        Assumptions.assumeTrue(cpus < 64, "this host has 64 CPUs or more");
        HutchException e = assertThrows(HutchException.class, () -> real.manager.create("refused", Resources.builder().cpusetCpus("64").build()));
        assertTrue(e.getMessage().startsWith("--cpuset-cpus: \"64\": the kernel refused"), e.getMessage());
        assertEquals(List.of(), real.manager.open("refused", List.of()).paths().stream().filter(Files::exists).toList());
    }

    @Test
    void aProcessJoinsIsCountedFreezesThawsAndIsKilledByDestroy() throws Exception {
        ContainerCgroup cg = real.create("proc", Resources.builder().pidsLimit(10L).build());
        Process p = real.startInside(cg, "sleep", "60");
        assertEquals(List.of(p.pid()), cg.pids());
        CgroupStats s = cg.stats();
        assertEquals(1, s.pids());
        assertEquals(10, s.pidsLimit());
        assertTrue(s.cpuUsageNanos() >= 0, "cpu usage known");
        cg.freeze();
        assertTrue(cg.frozen());
        String state = file(cg, "freezer.state");
        assertTrue(state == null ? file(cg, "cgroup.events").contains("frozen 1") : state.equals("FROZEN"), "kernel says frozen");
        cg.thaw();
        assertFalse(cg.frozen());
        cg.freeze(); // destroy must also work on a frozen container
        cg.destroy();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "process killed");
        assertEquals(137, p.exitValue(), "SIGKILL");
        for (Path d : cg.paths()) assertFalse(Files.exists(d), d + " removed");
    }

    @Test
    void theOomKillerIsSeenInTheCounter() throws Exception {
        // memory-swap = memory: no swap, so the kill is certain, not a matter of how fast swap fills
        ContainerCgroup cg = real.create("oom", Resources.builder().memory(16 * MIB).memorySwap(16 * MIB).build());
        assertFalse(cg.oomKilled());
        // the shell keeps the whole substitution in its own memory: 64 MiB of 'a' in a 16 MiB cgroup
        Process p = real.startInside(cg, "sh", "-c", "read go; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived ${#x}");
        try (OutputStream in = p.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "shell ended");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(out.contains("survived"), out);
        assertTrue(cg.oomKilled(), "oom_kill counted in " + cg.oomFile());
        assertTrue(cg.stats().oomKills() >= 1);
        assertTrue(cg.stats().memoryMaxUsage() <= 16 * MIB || cg.stats().memoryMaxUsage() == -1);
    }

    @Test
    void aCpuQuotaThrottlesASpinner() throws Exception {
        ContainerCgroup cg = real.create("spin", Resources.builder().cpus(0.25).build());
        Process p = real.startInside(cg, "sh", "-c", "i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done");
        // the spinner runs until it has been throttled at least once, or 20 s have passed
        boolean throttled = Settle.until(20_000, () -> cg.stats().throttledPeriods() > 0);
        p.destroyForcibly();
        assertTrue(throttled, "nr_throttled > 0 under --cpus 0.25: " + cg.stats());
        assertTrue(cg.stats().periods() >= cg.stats().throttledPeriods());
    }

    @Test
    void aPidsLimitStopsForks() throws Exception {
        ContainerCgroup cg = real.create("forks", Resources.builder().pidsLimit(4L).build());
        Process p = real.startInside(cg, "sh", "-c", "read go; for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; sleep 30");
        try (OutputStream in = p.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
        // the kernel counts each fork it refused in pids.events ("max N")
        boolean refused = Settle.until(10_000, () -> refusedForks(cg) > 0);
        assertTrue(refused, "pids.events counts refused forks: " + file(cg, "pids.events"));
        assertTrue(cg.stats().pids() <= 4, "at most 4 tasks: " + cg.pids());
        String peak = file(cg, "pids.peak");
        if (peak != null) assertEquals("4", peak);
    }

    private static long refusedForks(ContainerCgroup cg) {
        String events = file(cg, "pids.events");
        return events == null ? 0 : CgroupText.flatKeyed(events).getOrDefault("max", 0L);
    }

    @Test
    void updateRaisesAndLowersMemoryInTheRightOrder() {
        ContainerCgroup cg = real.create("update", Resources.builder().memory(64 * MIB).memorySwap(64 * MIB).build());
        cg.update(Resources.builder().memory(128 * MIB).memorySwap(256 * MIB).pidsLimit(7L).build());
        assertEquals("" + 128 * MIB, file(cg, "memory.limit_in_bytes", "memory.max"));
        cg.update(Resources.builder().memory(32 * MIB).memorySwap(32 * MIB).build());
        assertEquals("" + 32 * MIB, file(cg, "memory.limit_in_bytes", "memory.max"));
        assertEquals("7", file(cg, "pids.max"));
        String swap = file(cg, "memory.memsw.limit_in_bytes", "memory.swap.max");
        if (swap != null) assertTrue(swap.equals("" + 32 * MIB) || swap.equals("0"), swap);
    }

    @Test
    @RequiresCgroupV2(controllers = {"memory", "pids", "cpu"})
    void onAV2HierarchySwapMaxAndCpuMax() {
        ContainerCgroup cg = real.create("v2", Resources.builder().cpus(1.0).memory(64 * MIB).memorySwap(96 * MIB).build());
        assertEquals("100000 100000", file(cg, "cpu.max"));
        String swap = file(cg, "memory.swap.max");
        if (swap != null) assertEquals("" + 32 * MIB, swap);
    }
}
