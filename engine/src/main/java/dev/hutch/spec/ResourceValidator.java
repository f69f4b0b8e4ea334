package dev.hutch.spec;

import java.util.regex.Pattern;

/**
 * Checks of resource limits, each with docker's flag name: values the kernel would refuse, or that
 * make no sense together, fail here with a clear message instead of as an EINVAL from cgroupfs
 * half-way through a run.
 */
public final class ResourceValidator {
    private static final Pattern CPUSET = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    /** The kernel refuses a cpu period outside 1 ms .. 1 s. */
    public static final long MIN_CPU_PERIOD = 1_000, MAX_CPU_PERIOD = 1_000_000, DEFAULT_CPU_PERIOD = 100_000;
    /** Below one page a memory limit cannot hold even the container's init. */
    public static final long MIN_MEMORY = 4096;

    private ResourceValidator() {}

    public static void validate(Resources r, int hostCpus) {
        if (r.cpus() != null) {
            if (r.cpus().isNaN() || r.cpus() <= 0 || r.cpus() > hostCpus)
                throw new InvalidSpecException("--cpus", fmt(r.cpus()), "is out of range (this host has " + hostCpus + " CPUs; try 0.5)");
            if (r.cpuQuota() != null)
                throw new InvalidSpecException("--cpus", fmt(r.cpus()), "cannot be combined with --cpu-quota (use one of them)");
            // --cpus becomes quota = cpus x period, and the kernel refuses a quota under 1 ms
            long period = r.cpuPeriod() != null ? r.cpuPeriod() : DEFAULT_CPU_PERIOD;
            if (r.cpus() * period < MIN_CPU_PERIOD)
                throw new InvalidSpecException("--cpus", fmt(r.cpus()), "is below the smallest quota (1 ms per " + period / 1000
                        + " ms period, i.e. --cpus " + fmt((double) MIN_CPU_PERIOD / period) + ")");
        }
        if (r.cpuPeriod() != null && (r.cpuPeriod() < MIN_CPU_PERIOD || r.cpuPeriod() > MAX_CPU_PERIOD))
            throw new InvalidSpecException("--cpu-period", r.cpuPeriod(), "must be from 1000 to 1000000 microseconds");
        if (r.cpuQuota() != null && r.cpuQuota() != -1 && r.cpuQuota() < 1000)
            throw new InvalidSpecException("--cpu-quota", r.cpuQuota(), "must be at least 1000 microseconds, or -1 for no limit");
        if (r.cpuShares() != null && (r.cpuShares() < 2 || r.cpuShares() > 262144))
            throw new InvalidSpecException("--cpu-shares", r.cpuShares(), "must be from 2 to 262144 (default 1024)");
        checkCpuset("--cpuset-cpus", r.cpusetCpus(), hostCpus);
        checkCpuset("--cpuset-mems", r.cpusetMems(), Integer.MAX_VALUE);
        if (r.memory() != null && r.memory() < MIN_MEMORY)
            throw new InvalidSpecException("--memory", r.memory(), "is below one page (4096 bytes); try 6m or more");
        if (r.memorySwap() != null && r.memorySwap() != -1) {
            if (r.memory() == null)
                throw new InvalidSpecException("--memory-swap", r.memorySwap(), "needs --memory as well");
            if (r.memorySwap() < r.memory())
                throw new InvalidSpecException("--memory-swap", r.memorySwap(), "must be at least --memory (" + r.memory() + "), as it counts memory plus swap");
        }
        if (r.memoryReservation() != null) {
            if (r.memoryReservation() < 0)
                throw new InvalidSpecException("--memory-reservation", r.memoryReservation(), "must not be negative");
            if (r.memory() != null && r.memoryReservation() > r.memory())
                throw new InvalidSpecException("--memory-reservation", r.memoryReservation(), "must not exceed --memory (" + r.memory() + ")");
        }
        if (r.pidsLimit() != null && r.pidsLimit() < -1)
            throw new InvalidSpecException("--pids-limit", r.pidsLimit(), "must be positive, or 0 or -1 for no limit");
        if (r.blkioWeight() != null && r.blkioWeight() != 0 && (r.blkioWeight() < 10 || r.blkioWeight() > 1000))
            throw new InvalidSpecException("--blkio-weight", r.blkioWeight(), "must be from 10 to 1000");
        if (r.memorySwappiness() != null && (r.memorySwappiness() < 0 || r.memorySwappiness() > 100))
            throw new InvalidSpecException("--memory-swappiness", r.memorySwappiness(), "is out of range: use 0 to 100 (-1 keeps the host's)");
        for (Resources.DeviceRate d : r.deviceReadBps()) checkDevice("--device-read-bps", d);
        for (Resources.DeviceRate d : r.deviceWriteBps()) checkDevice("--device-write-bps", d);
        for (Resources.DeviceIops d : r.deviceReadIops()) checkDevicePath("--device-read-iops", d.path(), d.toString(), "/dev/sda:1000");
        for (Resources.DeviceIops d : r.deviceWriteIops()) checkDevicePath("--device-write-iops", d.path(), d.toString(), "/dev/sda:1000");
        for (Resources.DeviceWeight d : r.blkioWeightDevice()) checkDevicePath("--blkio-weight-device", d.path(), d.toString(), "/dev/sda:200");
    }

    private static void checkDevicePath(String field, String path, String text, String example) {
        if (!path.startsWith("/dev/"))
            throw new InvalidSpecException(field, text, "must name a device under /dev (try " + example + ")");
    }

    private static void checkCpuset(String field, String value, int limit) {
        if (value == null) return;
        if (!CPUSET.matcher(value).matches())
            throw new InvalidSpecException(field, value, "is not a list like 0-1 or 0,2");
        for (String part : value.split("[,-]")) {
            if (Integer.parseInt(part) >= limit)
                throw new InvalidSpecException(field, value, "names CPU " + part + ", but this host has CPUs 0-" + (limit - 1));
        }
    }

    private static void checkDevice(String field, Resources.DeviceRate d) {
        if (!d.path().startsWith("/dev/"))
            throw new InvalidSpecException(field, d.toString(), "must name a device under /dev (try /dev/sda:1mb)");
        if (d.bytesPerSecond() <= 0)
            throw new InvalidSpecException(field, d.toString(), "needs a rate above 0");
    }

    private static String fmt(double d) { return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d); }
}
