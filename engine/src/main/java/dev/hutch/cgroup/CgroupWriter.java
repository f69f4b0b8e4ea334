package dev.hutch.cgroup;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** Performs planned writes; a value the kernel refuses becomes an error naming the flag and value. */
public final class CgroupWriter {
    private final CgroupFs fs;

    public CgroupWriter(CgroupFs fs) { this.fs = fs; }

    public void writeAll(List<CgroupWrite> writes) {
        for (CgroupWrite w : writes) write(w);
    }

    public void write(CgroupWrite w) {
        try {
            fs.write(w.file(), w.value());
        } catch (NoSuchFileException e) {
            throw new HutchException(subject(w) + "this kernel has no " + w.file()
                    + " (the controller or the feature is not available here); drop the flag or use a host that has it", e);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new HutchException(subject(w) + "the kernel refused \"" + w.value() + "\" in " + w.file()
                    + " (" + reason + ")" + hint(w, reason), e);
        }
    }

    private static String subject(CgroupWrite w) {
        return w.flag() == null ? "" : w.flag() + ": \"" + w.flagValue() + "\": ";
    }

    /** What to do, for the refusals people actually meet. */
    static String hint(CgroupWrite w, String reason) {
        String f = w.fileName();
        boolean busy = reason.contains("busy");
        boolean invalid = reason.contains("Invalid argument");
        if (busy && (f.equals("memory.limit_in_bytes") || f.equals("memory.memsw.limit_in_bytes") || f.equals("memory.max")))
            return "; the container already uses more memory than that: give a larger value";
        if (invalid && f.equals("memory.memsw.limit_in_bytes"))
            return "; --memory-swap must be at least --memory";
        if (invalid && f.startsWith("memory.") && f.contains("limit"))
            return "; --memory must not exceed --memory-swap";
        if (f.startsWith("cpuset."))
            return "; the CPUs and memory nodes must exist and be allowed to the parent cgroup " + w.file().getParent().getParent();
        if (f.startsWith("cpu.cfs") || f.equals("cpu.max"))
            return "; a quota must be at least 1000 and the period 1000..1000000 microseconds, within the parent's limit";
        if (reason.contains("not supported") && f.contains("weight"))
            return "; a per-device weight needs the BFQ I/O scheduler on that disk (cat /sys/block/DISK/queue/scheduler): drop the flag or switch the disk to bfq";
        if (f.equals("cgroup.subtree_control"))
            return "; the controller must be enabled in every ancestor, and the cgroup must hold no processes";
        return "";
    }
}
