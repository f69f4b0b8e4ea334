package dev.hutch.cli.commands;

import dev.hutch.cgroup.CgroupStats;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** stats' parsing and docker-style formatting, on fixtures. */
class StatsSampleTest {

    @Test
    void netDevSumsEveryInterfaceButLoopback() {
        String netDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:    5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0
                  eth0:    1234      12    0    0    0     0          0         0      678       7    0    0    0     0       0          0
                  eth1:      66       1    0    0    0     0          0         0       34       1    0    0    0     0       0          0
                """;
        assertArrayEquals(new long[] {1300, 712}, StatsSample.parseNetDev(netDev));
    }

    @Test
    void sizesLookLikeDockers() {
        assertEquals("0B", StatsSample.decimal(0));
        assertEquals("736B", StatsSample.decimal(736));
        assertEquals("1.234kB", StatsSample.decimal(1234));
        assertEquals("10.49MB", StatsSample.decimal(10_485_760));
        assertEquals("496KiB", StatsSample.binary(496 * 1024));
        assertEquals("64MiB", StatsSample.binary(64L * 1024 * 1024));
        assertEquals("23.54GiB", StatsSample.binary(25_275_236_352L));
    }

    @Test
    void rowComputesCpuAndMemoryPercent() {
        ContainerState s = new ContainerState.Builder("3a8a18882535b10ea59d52e8ec391eb9", "web", ContainerSpec.builder("busybox").build()).build();
        CgroupStats before = CgroupStats.builder().cpuUsageNanos(1_000_000_000L).build();
        CgroupStats after = CgroupStats.builder().cpuUsageNanos(1_500_000_000L).memoryUsage(16L << 20).memoryLimit(64L << 20)
                .pids(3).blkioReadBytes(0).blkioWriteBytes(2048).build();
        StatsSample b = new StatsSample(s, before, 0, 0, 0);
        StatsSample a = new StatsSample(s, after, 1234, 99, 1_000_000_000L); // one second later, half a cpu
        Map<String, Object> row = a.row(b, 24L << 30, false);
        assertEquals("50.00%", row.get("CPUPerc"));
        assertEquals("16MiB / 64MiB", row.get("MemUsage"));
        assertEquals("25.00%", row.get("MemPerc"));
        assertEquals("1.234kB / 99B", row.get("NetIO"));
        assertEquals("0B / 2.048kB", row.get("BlockIO"));
        assertEquals("3", row.get("PIDs"));
        assertEquals("3a8a18882535", row.get("ID"));
        assertEquals("web", row.get("Name"));
    }

    @Test
    void unlimitedMemoryShowsTheHostsTotal() {
        ContainerState s = new ContainerState.Builder("abcdef0123456789", "x", ContainerSpec.builder("busybox").build()).build();
        CgroupStats st = CgroupStats.builder().memoryUsage(1L << 30).memoryLimit(-1).build();
        Map<String, Object> row = new StatsSample(s, st, 0, 0, 1).row(null, 4L << 30, false);
        assertEquals("1GiB / 4GiB", row.get("MemUsage"));
        assertEquals("25.00%", row.get("MemPerc"));
        assertEquals("0.00%", row.get("CPUPerc"), "one reading has no cpu rate yet");
    }
}
