package dev.hutch.cli.service;

import dev.hutch.util.AtomicFiles;
import dev.hutch.util.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "PID STARTTIME\n" beside the socket: who serves it. STARTTIME (field 22 of /proc/PID/stat)
 * guards against a reused pid: a recorded pid whose start time differs is not the service.
 */
public record PidFile(long pid, long startTime) {
    private static final Path PROC = Path.of("/proc");

    /** This JVM's entry. */
    public static PidFile ofThisProcess() {
        long pid = ProcessHandle.current().pid();
        ProcStat s = ProcStat.read(PROC, pid);
        if (s == null) throw new IllegalStateException("cannot read /proc/" + pid + "/stat");
        return new PidFile(pid, s.startTime());
    }

    public void writeTo(Path file) { AtomicFiles.write(file, pid + " " + startTime + "\n"); }

    /** The recorded entry, or null when there is none or it cannot be parsed. */
    public static PidFile read(Path file) {
        try {
            String[] f = Files.readString(file).trim().split("\\s+");
            return f.length == 2 ? new PidFile(Long.parseLong(f[0]), Long.parseLong(f[1])) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** The recorded process still runs (same pid, same start time). */
    public boolean isAlive() { return ProcStat.isAlive(PROC, pid, startTime); }

    /** Removes the file only if it still names this process (a newer service may have replaced it). */
    public void removeIfOurs(Path file) {
        if (equals(read(file))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort: a stale entry is recognised by its start time
            }
        }
    }
}
