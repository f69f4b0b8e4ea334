package dev.hutch.cli;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every hutch command but help and version makes namespaces, cgroups and mounts or reads root's
 * state under /var/run/hutch: as another user it would fail half-way with a misleading error (an
 * empty {@code ps}, "free some space" from a refused mkdir), so it is refused up front with one
 * line. The engine service refuses other users itself (SO_PEERCRED) and runs as root, so this
 * check passes there; it is the in-process CLI's.
 */
final class RootCheck {
    private RootCheck() {}

    static void require(String verb) {
        long euid = effectiveUid();
        if (euid != 0)
            throw new HutchException(verb + " needs root (uid " + euid + " here): it makes namespaces, cgroups and mounts"
                    + " and keeps its state in /var/run/hutch; run it with sudo");
    }

    /** The second field of /proc/self/status's "Uid:" line; 0 when it cannot be read (then the command says what failed). */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Long.parseLong(line.split("\\s+")[2]);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: let the command run and report its own failure
        }
        return 0;
    }
}
