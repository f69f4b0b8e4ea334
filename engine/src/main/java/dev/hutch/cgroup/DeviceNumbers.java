package dev.hutch.cgroup;

import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a device path into the {@code MAJ:MIN} that blkio and io files want. A seam, so planning
 * tests do not depend on the host's disks.
 */
public interface DeviceNumbers {

    /** @param flag the flag that named the device, for the error */
    String majorMinor(String flag, String devicePath);

    static DeviceNumbers host() { return new HostDevices(); }

    /** stat(2) through java.nio's "unix:" attributes: no JNA. */
    final class HostDevices implements DeviceNumbers {
        @Override
        public String majorMinor(String flag, String devicePath) {
            Path p = Path.of(devicePath);
            try {
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                if ((mode & 0170000) != 0060000)
                    throw new InvalidSpecException(flag, devicePath, "is not a block device (try the disk, e.g. /dev/sda or /dev/vda)");
                long rdev = (Long) Files.getAttribute(p, "unix:rdev");
                return major(rdev) + ":" + minor(rdev);
            } catch (NoSuchFileException e) {
                throw new InvalidSpecException(flag, devicePath, "does not exist on this host");
            } catch (IOException | UnsupportedOperationException e) {
                throw new InvalidSpecException(flag, devicePath, "cannot be examined: " + e.getMessage());
            }
        }
    }

    /** glibc's gnu_dev_major/minor: the low bits in the middle of dev_t, the high bits above (32-bit halves). */
    static long major(long rdev) { return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L); }

    static long minor(long rdev) { return (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L); }
}
