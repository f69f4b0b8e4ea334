package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupText;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.cgroup.MemoryCounters;
import dev.hutch.spec.ByteSize;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v1 {@code memory}: limit, memory+swap limit (memsw, present only with swap accounting), soft
 * limit; usage, peak and the OOM kill count.
 *
 * <p>Ordering: the kernel keeps {@code limit_in_bytes <= memsw.limit_in_bytes} at every moment,
 * so which of the two is written first depends on the current limit (runc's rule): when the new
 * memsw is above the current memory limit (or unlimited) memsw goes first, else memory goes first.
 */
public final class MemoryV1 implements Controller, MemoryCounters {
    static final String LIMIT = "memory.limit_in_bytes", MEMSW = "memory.memsw.limit_in_bytes",
            SOFT = "memory.soft_limit_in_bytes", USAGE = "memory.usage_in_bytes", MAX_USAGE = "memory.max_usage_in_bytes",
            STAT = "memory.stat", OOM_CONTROL = "memory.oom_control", SWAPPINESS = "memory.swappiness";

    @Override public String name() { return "memory"; }

    @Override public int version() { return 1; }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        Long memory = r.memory(), swap = r.memorySwap();
        // Without swap accounting there is no memsw file; docker then ignores --memory-swap with a warning.
        boolean hasMemsw = dir.has(MEMSW);
        CgroupWrite memWrite = memory == null ? null : CgroupWrite.of(dir, LIMIT, memory, "--memory", memory);
        CgroupWrite swapWrite = swap == null || !hasMemsw ? null : CgroupWrite.of(dir, MEMSW, swap, "--memory-swap", swap);
        if (memWrite != null && swapWrite != null) {
            long currentLimit = CgroupText.value(dir.read(LIMIT));
            if (swap == -1 || currentLimit < swap) { writes.add(swapWrite); writes.add(memWrite); }
            else { writes.add(memWrite); writes.add(swapWrite); }
        } else if (memWrite != null) {
            if (hasMemsw) {
                long currentSwap = CgroupText.value(dir.read(MEMSW));
                if (currentSwap < memory)
                    throw new InvalidSpecException("--memory", memory, "is above the current --memory-swap ("
                            + ByteSize.format(currentSwap) + "); set --memory-swap as well (or -1 for unlimited swap)");
            }
            writes.add(memWrite);
        } else if (swapWrite != null) {
            writes.add(swapWrite);
        }
        if (r.memoryReservation() != null)
            writes.add(CgroupWrite.of(dir, SOFT, r.memoryReservation(), "--memory-reservation", r.memoryReservation()));
        // Writing 1 to oom_control stops the kernel from killing in this cgroup: at its limit the
        // container's allocations wait instead (under_oom 1) until memory is freed.
        if (Boolean.TRUE.equals(r.oomKillDisable()))
            writes.add(CgroupWrite.of(dir, OOM_CONTROL, 1, "--oom-kill-disable", "true"));
        if (r.memorySwappiness() != null)
            writes.add(CgroupWrite.of(dir, SWAPPINESS, r.memorySwappiness(), "--memory-swappiness", r.memorySwappiness()));
        return writes;
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        long usage = dir.valueOr(USAGE, -1);
        if (usage >= 0) {
            // docker stats shows usage without the page cache the kernel can drop at once
            Long inactiveFile = dir.flatKeyed(STAT).get("total_inactive_file");
            stats.memoryUsage(inactiveFile != null && inactiveFile < usage ? usage - inactiveFile : usage);
        }
        String limit = dir.readIfPresent(LIMIT);
        if (limit != null) stats.memoryLimit(CgroupText.limit(limit));
        stats.memoryMaxUsage(dir.valueOr(MAX_USAGE, -1));
        stats.oomKills(oomKills(dir));
    }

    @Override public String oomFileName() { return OOM_CONTROL; }

    /** The {@code oom_kill} line of memory.oom_control (kernel 4.13+); -1 if the kernel lacks it. */
    @Override
    public long oomKills(CgroupDir dir) { return dir.flatKeyed(OOM_CONTROL).getOrDefault("oom_kill", -1L); }
}
