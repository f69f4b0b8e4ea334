package dev.hutch.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmark's small host parsers, on fixture text. */
class HostParsingTest {

    @Test
    void procStatGivesBusyAndTotalTicks() {
        HostCpu c = HostCpu.parse("cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\n");
        assertEquals(100 + 5 + 50 + 3 + 2, c.busyTicks());
        assertEquals(1000, c.totalTicks());
    }

    @Test
    void backingDeviceIsTheDeepestMountAboveThePath() {
        String mountinfo = """
                22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
                31 22 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw
                40 22 8:1 / /var/lib rw,relatime - ext4 /dev/sda1 rw
                41 40 0:50 / /var/lib/hutch/x/merged rw - overlay overlay rw
                """;
        assertEquals("8:1", IoProbe.BackingDevice.mountDevice(mountinfo, Path.of("/var/lib/hutch")));
        assertEquals("254:0", IoProbe.BackingDevice.mountDevice(mountinfo, Path.of("/srv/data")));
        assertEquals("0:28", IoProbe.BackingDevice.mountDevice(mountinfo, Path.of("/sys/fs/cgroup/memory")));
    }

    @Test
    void ueventNamesTheDevice() {
        assertEquals("vda", IoProbe.BackingDevice.devName("MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n"));
        assertNull(IoProbe.BackingDevice.devName("MAJOR=254\n"));
    }

    @Test
    void cgroupModeFromMountinfo() {
        assertEquals("hybrid (v1 + v2)", LimitBenchmark.cgroupMode("1 2 0:1 / /a rw - cgroup cgroup rw,cpu\n3 4 0:2 / /b rw - cgroup2 cgroup2 rw\n"));
        assertEquals("v2", LimitBenchmark.cgroupMode("3 4 0:2 / /b rw - cgroup2 cgroup2 rw\n"));
        assertEquals("v1", LimitBenchmark.cgroupMode("1 2 0:1 / /a rw - cgroup cgroup rw,cpu\n"));
    }
}
