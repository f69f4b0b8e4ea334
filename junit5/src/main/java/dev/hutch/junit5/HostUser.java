package dev.hutch.junit5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this JVM runs as root, which hutch needs (namespaces, cgroups, mounts). */
final class HostUser {
    private HostUser() {}

    /** The effective uid from /proc/self/status; -1 when it cannot be read. */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Long.parseLong(line.split("\\s+")[2]);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: unknown
        }
        return -1;
    }
}
