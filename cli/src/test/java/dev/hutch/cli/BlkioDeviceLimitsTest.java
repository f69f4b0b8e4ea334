package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's {@code --device-read-iops}, {@code --device-write-iops} and {@code --blkio-weight-device},
 * read back from the container's cgroup files: v1 blkio.throttle.read_iops_device /
 * write_iops_device and blkio.bfq.weight_device (or CFQ's blkio.weight_device), v2 io.max
 * {@code riops=}/{@code wiops=} and io.bfq.weight (or io.weight). A per-device weight needs BFQ on
 * that disk: the test makes a loop device of its own and switches it to bfq. Bad values are
 * refused with one line and nothing left.
 */
@RequiresRoot
class BlkioDeviceLimitsTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static String disk() {
        String disk = List.of("/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/xvda").stream().filter(d -> Files.exists(Path.of(d)))
                .findFirst().orElse(null);
        Assumptions.assumeTrue(disk != null, "no /dev/vda, sda, nvme0n1 or xvda on this host to throttle");
        return disk;
    }

    static String majorMinor(String device) throws IOException {
        long rdev = (Long) Files.getAttribute(Path.of(device), "unix:rdev");
        long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L), minor = (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
        return major + ":" + minor;
    }

    /**
     * The container's directory that holds {@code file}: its v1 blkio group, or its group on the
     * unified hierarchy (pure v2, or the hybrid's unified mount), from /proc/PID/cgroup.
     */
    static Path dirWith(String container, String file) throws IOException {
        long pid = Long.parseLong(hutch("inspect", "--format", "{{.State.Pid}}", container).out().trim());
        Path root = roots.config().cgroupRoot();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            String rel = f[2].substring(1);
            List<Path> candidates = f[1].isEmpty() ? List.of(root.resolve(rel), root.resolve("unified").resolve(rel))
                    : List.of(root.resolve(f[1]).resolve(rel));
            for (Path c : candidates) if (Files.exists(c.resolve(file))) return c;
        }
        return null;
    }

    @Test
    void iopsLimitsAreWrittenToTheCgroup() throws Exception {
        String disk = disk();
        String dev = majorMinor(disk);
        HutchProcess.Result r = hutch("run", "-d", "--network", "none", "--device-read-iops", disk + ":1000",
                "--device-write-iops", disk + ":500", "busybox", "sleep", "60");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        try {
            Path v1 = dirWith(id, "blkio.throttle.read_iops_device");
            if (v1 != null) {
                assertEquals(dev + " 1000", Files.readString(v1.resolve("blkio.throttle.read_iops_device")).strip());
                assertEquals(dev + " 500", Files.readString(v1.resolve("blkio.throttle.write_iops_device")).strip());
            } else {
                Path v2 = dirWith(id, "io.max");
                assertTrue(v2 != null, "the container has neither blkio.throttle.*_iops_device nor io.max");
                assertEquals(dev + " rbps=max wbps=max riops=1000 wiops=500", Files.readString(v2.resolve("io.max")).strip());
            }
        } finally {
            hutch("rm", "-f", id);
        }
        assertEquals(List.of(), roots.leftoverCgroups());
    }

    @Test
    void aDeviceWeightGoesToTheBfqWeightFile() throws Exception {
        Path backing = roots.dir().resolve("bfq-disk.img");
        try (var f = new java.io.RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        // loop and bfq are modules on a stock kernel (the cgroup v2 guest's): load them if they are not
        // loaded yet; a kernel built without them is what the assumptions below report
        for (String module : List.of("loop", "bfq")) {
            try {
                new ProcessBuilder("modprobe", "-q", module).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (java.io.IOException noModprobe) {
                // no kmod on this host: the kernel has what it has
            }
        }
        Process setup = new ProcessBuilder("losetup", "-f", "--show", backing.toString()).redirectErrorStream(true).start();
        String loop = new String(setup.getInputStream().readAllBytes()).strip();
        Assumptions.assumeTrue(setup.waitFor() == 0 && loop.startsWith("/dev/loop"), "no loop device for a disk with BFQ: " + loop);
        Path scheduler = Path.of("/sys/block/" + Path.of(loop).getFileName() + "/queue/scheduler");
        String id = null;
        try {
            Assumptions.assumeTrue(Files.readString(scheduler).contains("bfq"), "this kernel has no BFQ scheduler: " + Files.readString(scheduler).strip());
            Files.writeString(scheduler, "bfq");
            String dev = majorMinor(loop);
            HutchProcess.Result r = hutch("run", "-d", "--network", "none", "--blkio-weight-device", loop + ":200",
                    "busybox", "sleep", "60");
            assertEquals(0, r.code(), r.err());
            id = r.out().trim();
            Path v1 = dirWith(id, "blkio.bfq.weight_device");
            Path v2 = v1 != null ? null : dirWith(id, "io.bfq.weight");
            Path file = v1 != null ? v1.resolve("blkio.bfq.weight_device") : v2 != null ? v2.resolve("io.bfq.weight") : null;
            assertTrue(file != null, "the container has neither blkio.bfq.weight_device nor io.bfq.weight");
            assertTrue(Files.readAllLines(file).contains(dev + " 200"), file + ": " + Files.readString(file));

            // the disk without BFQ: one line that says what to do, nothing left
            Files.writeString(scheduler, "none");
            HutchProcess.Result refused = hutch("run", "--rm", "--network", "none", "--blkio-weight-device", loop + ":200",
                    "busybox", "echo", "RAN");
            assertEquals(125, refused.code(), refused.err());
            assertFalse(refused.out().contains("RAN"));
            assertEquals(1, refused.err().trim().lines().count(), refused.err());
            assertTrue(refused.err().contains("needs the BFQ I/O scheduler on that disk"), refused.err());
        } finally {
            if (id != null) hutch("rm", "-f", id);
            try {
                Files.writeString(scheduler, "none");
            } catch (IOException ignored) {
                // the loop device goes below anyway
            }
            new ProcessBuilder("losetup", "-d", loop).inheritIO().start().waitFor();
            Files.deleteIfExists(backing);
        }
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }

    @Test
    void badValuesAreRefusedWithOneLineAndNothingLeft() {
        String disk = disk();
        String[][] cases = {
                {"--device-read-iops", disk, "is not DEVICE:NUMBER"},
                {"--device-read-iops", disk + ":abc", "is not a positive whole number"},
                {"--device-write-iops", disk + ":0", "is not a positive whole number"},
                {"--device-write-iops", disk + ":-5", "is not a positive whole number"},
                {"--device-read-iops", "sda:100", "must name a device under /dev"},
                {"--device-read-iops", "/dev/hutch-no-such-disk:100", "does not exist on this host"},
                {"--device-write-iops", "/dev/null:100", "is not a block device"},
                {"--blkio-weight-device", disk, "is not DEVICE:WEIGHT"},
                {"--blkio-weight-device", disk + ":5", "is not from 10 to 1000"},
                {"--blkio-weight-device", disk + ":1001", "is not from 10 to 1000"},
                {"--blkio-weight-device", disk + ":x", "is not from 10 to 1000"},
                {"--blkio-weight-device", "/dev/null:200", "is not a block device"},
        };
        for (String[] c : cases) {
            HutchProcess.Result r = hutch("run", "--rm", "--network", "none", c[0], c[1], "busybox", "echo", "RAN");
            assertEquals(125, r.code(), c[0] + " " + c[1] + ": " + r.err());
            assertFalse(r.out().contains("RAN"));
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().contains(c[0] + ": \"") && r.err().contains(c[2]), r.err());
        }
        assertEquals("", hutch("ps", "-a", "-q").out().trim());
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }
}
