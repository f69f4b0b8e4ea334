package dev.hutch.oci;

import dev.hutch.util.ProcStat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The runtime-spec's four states, read from the kernel and the container's directory. */
public enum OciStatus {
    CREATED, RUNNING, PAUSED, STOPPED;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }

    /**
     * Stopped when init is gone, a zombie (exited, its caller has not reaped it yet) or a reused
     * pid; created while init still waits on the start FIFO; paused when the freezer says so.
     */
    static OciStatus of(OciState s, Path containerDir, boolean frozen) {
        ProcStat stat = ProcStat.read(Path.of("/proc"), s.pid());
        if (stat == null || stat.state() == 'Z' || stat.state() == 'X' || stat.startTime() != s.pidStartTime())
            return STOPPED;
        if (frozen) return PAUSED;
        return Files.exists(containerDir.resolve(OciStore.START_FIFO)) ? CREATED : RUNNING;
    }
}
