package dev.hutch.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small facts about the host read from sysfs, without OSHI (which stays off the run path). */
public final class HostInfo {
    private HostInfo() {}

    /** Online CPUs from /sys/devices/system/cpu/online ("0-1" → 2), not the JVM's cgroup-limited view. */
    public static int cpus() {
        try {
            return countCpuList(Files.readString(Path.of("/sys/devices/system/cpu/online")).trim());
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** "0-3,6" → 5. */
    public static int countCpuList(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            if (part.isBlank()) continue;
            int dash = part.indexOf('-');
            n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
        }
        return n;
    }
}
