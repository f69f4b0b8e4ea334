package dev.hutch.bench;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupStats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Write bandwidth: {@code dd oflag=direct} inside the container (direct I/O, because cgroup v1
 * cannot charge buffered writeback to the writer's cgroup) writing into its own rootfs, whose upper
 * dir lives on the disk under the engine's lib root; that disk gets the --device-write-bps limit.
 * The rate is the cgroup's written-bytes counter over the window.
 */
final class IoProbe {
    private static final long WARMUP_MS = 1000;

    private final BenchContainers containers;
    private final Options options;

    IoProbe(BenchContainers containers, Options options) {
        this.containers = containers;
        this.options = options;
    }

    Results.IoRow measure(Path libRoot, PrintStream progress) {
        long bps = options.ioWriteBps();
        String device;
        try {
            device = BackingDevice.of(libRoot, Path.of("/proc/self/mountinfo"), Path.of("/sys"));
        } catch (HutchException e) {
            progress.println("  io   skipped: " + e.getMessage());
            return new Results.IoRow(null, bps, -1, e.getMessage());
        }
        // Enough data to keep writing through warm-up and window at the limit, and then some.
        long seconds = (WARMUP_MS + options.ioWindow().toMillis()) / 1000 + 3;
        long megabytes = Math.max(8, bps * seconds / (1024 * 1024));
        String script = "dd if=/dev/zero of=/io.bench bs=1M count=" + megabytes + " oflag=direct 2>&1; rm -f /io.bench";
        try {
            return containers.with(containers.shell(script, r -> r.deviceWriteBps(new dev.hutch.spec.Resources.DeviceRate(device, bps))), id -> {
                BenchContainers.sleep(WARMUP_MS);
                CgroupStats before = containers.stats(id);
                long t0 = System.nanoTime();
                BenchContainers.sleep(options.ioWindow().toMillis());
                CgroupStats after = containers.stats(id);
                long wall = System.nanoTime() - t0;
                if (before.blkioWriteBytes() < 0 || after.blkioWriteBytes() <= 0) {
                    String why = "the cgroup counted no bytes written on " + device + " (dd oflag=direct may be unsupported here)";
                    progress.println("  io   skipped: " + why);
                    return new Results.IoRow(device, bps, -1, why);
                }
                double achieved = (after.blkioWriteBytes() - before.blkioWriteBytes()) * 1e9 / wall;
                Results.IoRow row = new Results.IoRow(device, bps, achieved, null);
                progress.printf("  io   --device-write-bps %s:%s achieved %s/s (%+.1f%%)%n", device, ResultsText.mib(bps),
                        ResultsText.mib((long) achieved), row.errorPercent());
                return row;
            });
        } catch (HutchException e) {
            progress.println("  io   skipped: " + e.getMessage());
            return new Results.IoRow(device, bps, -1, e.getMessage());
        }
    }

    /** The whole disk under a directory: its mount's MAJ:MIN from mountinfo, the disk from sysfs. */
    static final class BackingDevice {
        private BackingDevice() {}

        static String of(Path dir, Path mountinfo, Path sys) {
            try {
                Path real = Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath();
                String majMin = mountDevice(Files.readString(mountinfo), real);
                if (majMin == null) throw new HutchException("no mount found for " + real);
                Path block = sys.resolve("dev/block").resolve(majMin);
                if (!Files.exists(block))
                    throw new HutchException(real + " is on " + majMin + ", which is not a block device (overlay, tmpfs or a virtual filesystem)");
                Path node = block.toRealPath();
                // A partition cannot be throttled on recent kernels: the limit goes on its disk.
                if (Files.exists(node.resolve("partition"))) node = node.getParent();
                String name = devName(Files.readString(node.resolve("uevent")));
                if (name == null) name = node.getFileName().toString();
                Path dev = Path.of("/dev").resolve(name);
                if (!Files.exists(dev)) throw new HutchException("the disk " + name + " has no node " + dev);
                return dev.toString();
            } catch (IOException e) {
                throw new HutchException("cannot find the disk under " + dir + ": " + e.getMessage(), e);
            }
        }

        /** The MAJ:MIN (third field) of the mount with the longest mount point that contains path. */
        static String mountDevice(String mountinfo, Path path) {
            String best = null;
            int bestDepth = -1;
            for (String line : mountinfo.split("\n")) {
                String[] f = line.split(" ");
                if (f.length < 5) continue;
                Path mp = Path.of(f[4].replace("\\040", " "));
                if (path.startsWith(mp) && mp.getNameCount() >= bestDepth) {
                    best = f[2];
                    bestDepth = mp.getNameCount();
                }
            }
            return best;
        }

        static String devName(String uevent) {
            for (String line : uevent.split("\n")) if (line.startsWith("DEVNAME=")) return line.substring(8).trim();
            return null;
        }
    }
}
