package dev.hutch.security;

import dev.hutch.HutchException;
import dev.hutch.cgroup.DeviceNumbers;
import dev.hutch.cgroup.DeviceRule;
import dev.hutch.runtime.DockerDefaults;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.SecurityOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Turns a container's {@link SecurityOptions} into a {@link SecurityPlan}, docker's meaning for
 * every flag: {@code --privileged} is all capabilities, every device, no masked or read-only
 * paths, a writable /sys and no seccomp; otherwise docker's default capabilities tweaked by
 * {@code --cap-add}/{@code --cap-drop}, docker's default seccomp profile (or the given one,
 * compiled for this container's capabilities) and docker's device allow-list plus {@code --device}
 * and {@code --device-cgroup-rule}.
 */
public final class SecurityPlanner {
    private SecurityPlanner() {}

    /** What the plan reads of the host's devices and /sys, a seam for tests. */
    public interface HostDevices {
        /** @return {type, major, minor, permission bits} of the node */
        long[] stat(String path);

        /**
         * Every device node under the host's /dev, as helper {@code device} values with the host's
         * mode and owner: what {@code --privileged} gives a container, as docker does.
         */
        default List<String> allNodes() { return List.of(); }

        /** The per-CPU {@code thermal_throttle} directories this kernel has (docker masks them). */
        default List<String> thermalThrottleDirs() { return List.of(); }

        static HostDevices host() { return new Stat(); }
    }

    /** stat(2) through java.nio's "unix:" attributes (no JNA); a class, not a lambda, to keep the run path cheap. */
    static final class Stat implements HostDevices {
        @Override
        public List<String> allNodes() { return HostDevNodes.list(Path.of("/dev")); }

        @Override
        public List<String> thermalThrottleDirs() { return HostDevNodes.thermalThrottleDirs(Path.of("/sys/devices/system/cpu")); }

        @Override
        public long[] stat(String path) {
            Path p = Path.of(path);
            try {
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                int fmt = mode & 0170000;
                if (fmt != 0020000 && fmt != 0060000)
                    throw new InvalidSpecException("--device", path, "is not a device node on this host (try /dev/fuse or /dev/sdb)");
                long rdev = (Long) Files.getAttribute(p, "unix:rdev");
                return new long[] {fmt == 0060000 ? 'b' : 'c', DeviceNumbers.major(rdev), DeviceNumbers.minor(rdev), mode & 07777};
            } catch (NoSuchFileException e) {
                throw new InvalidSpecException("--device", path, "does not exist on this host");
            } catch (IOException | UnsupportedOperationException e) {
                throw new InvalidSpecException("--device", path, "cannot be examined: " + e.getMessage());
            }
        }
    }

    public static SecurityPlan plan(SecurityOptions s, HostDevices devices, SyscallArch arch, String kernelRelease) {
        return plan(s, devices, arch, kernelRelease, null);
    }

    /** @param cacheDir where compiled filters are kept between runs; null for none */
    public static SecurityPlan plan(SecurityOptions s, HostDevices devices, SyscallArch arch, String kernelRelease, Path cacheDir) {
        List<String> caps = Capabilities.resolve(s);
        List<DeviceRule> rules = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        if (s.privileged()) nodes.addAll(devices.allNodes());
        if (s.privileged()) rules.add(DeviceRule.ALL);
        else rules.addAll(DeviceRule.DEFAULTS);
        for (SecurityOptions.DeviceMapping d : s.devices()) {
            long[] st = devices.stat(d.hostPath());
            rules.add(new DeviceRule((char) st[0], st[1], st[2], d.permissions()));
            nodes.add(d.containerPath() + " " + (char) st[0] + " " + st[1] + " " + st[2] + " " + Long.toOctalString(st[3]));
        }
        if (!s.privileged())
            for (SecurityOptions.DeviceCgroupRule r : s.deviceCgroupRules()) rules.add(new DeviceRule(r.type(), r.major(), r.minor(), r.access()));

        String filter = null;
        if (!s.seccompUnconfined()) {
            if (arch == null)
                throw new HutchException("seccomp: hutch compiles filters for x86_64 and aarch64 only, not "
                        + System.getProperty("os.arch") + "; run with --security-opt seccomp=unconfined");
            if (isTheCommonDefault(s, caps, arch, kernelRelease)) filter = DefaultSeccompFilter.X86_64;
        }
        if (filter == null && !s.seccompUnconfined()) {
            String json = s.seccompProfile() == null ? SeccompProfile.defaultJson() : s.seccompProfile();
            SeccompCache cache = cacheDir == null ? null : new SeccompCache(cacheDir);
            String input = cache == null ? null : SeccompCache.input(json, caps, arch, kernelRelease);
            filter = cache == null ? null : cache.get(input);
            if (filter == null) {
                SeccompProfile profile = SeccompProfile.parse(json, s.seccompProfile() == null ? "(default profile)" : "(profile)");
                filter = SecurityPlan.hex(SeccompCompiler.compile(profile, new HashSet<>(caps), arch, kernelRelease));
                if (cache != null) cache.put(input, filter);
            }
        }
        boolean priv = s.privileged();
        return new SecurityPlan(caps, filter, s.noNewPrivilegesOrDefault(),
                priv ? List.of() : maskedPaths(devices), priv ? List.of() : DockerDefaults.READONLY_PATHS,
                priv, List.copyOf(rules), List.copyOf(nodes), priv);
    }

    /** docker's list, plus the per-CPU thermal_throttle directories where the kernel has them (as newer docker). */
    private static List<String> maskedPaths(HostDevices devices) {
        List<String> extra = devices.thermalThrottleDirs();
        if (extra.isEmpty()) return DockerDefaults.MASKED_PATHS;
        List<String> all = new ArrayList<>(DockerDefaults.MASKED_PATHS);
        all.addAll(extra);
        return all;
    }

    /** The default profile with docker's default capabilities on x86_64, kernel 4.8 or later. */
    private static boolean isTheCommonDefault(SecurityOptions s, List<String> caps, SyscallArch arch, String kernelRelease) {
        return s.seccompProfile() == null && arch.name().equals("x86_64") && caps.size() == Capabilities.DEFAULT.size()
                && caps.containsAll(Capabilities.DEFAULT) && SeccompCompiler.compareVersions(kernelRelease, "4.8") >= 0;
    }

    /** For the host: real device nodes, this JVM's architecture, the running kernel, filters cached under the lib root. */
    public static SecurityPlan forHost(SecurityOptions s, Path libRoot) {
        return plan(s, HostDevices.host(), SyscallArch.host(), System.getProperty("os.version", "0"), libRoot.resolve("seccomp"));
    }
}
