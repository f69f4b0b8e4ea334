package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupText;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.cgroup.MemoryCounters;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v2 {@code memory}: memory.max, memory.swap.max (swap alone, where docker's --memory-swap counts
 * memory plus swap: swap.max = memory-swap − memory), memory.low for the reservation; usage, peak
 * and the OOM kill count from memory.events.
 */
public final class MemoryV2 implements Controller, MemoryCounters {
    static final String MAX = "memory.max", SWAP_MAX = "memory.swap.max", LOW = "memory.low",
            CURRENT = "memory.current", PEAK = "memory.peak", STAT = "memory.stat", EVENTS = "memory.events";

    @Override public String name() { return "memory"; }

    @Override public int version() { return 2; }

    @Override
    public List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) { return SubtreeControl.enable(parent, name()); }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        if (r.memory() != null) writes.add(CgroupWrite.of(dir, MAX, r.memory(), "--memory", r.memory()));
        // No memory.swap.max without swap accounting; docker then ignores --memory-swap with a warning.
        if (r.memorySwap() != null && dir.has(SWAP_MAX)) {
            String value;
            if (r.memorySwap() == -1) {
                value = "max";
            } else {
                long memory = r.memory() != null ? r.memory() : CgroupText.value(dir.read(MAX));
                if (memory < 0)
                    throw new InvalidSpecException("--memory-swap", r.memorySwap(), "needs --memory as well (memory is unlimited now)");
                value = Long.toString(r.memorySwap() - memory);
            }
            writes.add(CgroupWrite.of(dir, SWAP_MAX, value, "--memory-swap", r.memorySwap()));
        }
        if (r.memoryReservation() != null)
            writes.add(CgroupWrite.of(dir, LOW, r.memoryReservation(), "--memory-reservation", r.memoryReservation()));
        return writes;
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        long usage = dir.valueOr(CURRENT, -1);
        if (usage >= 0) {
            Long inactiveFile = dir.flatKeyed(STAT).get("inactive_file");
            stats.memoryUsage(inactiveFile != null && inactiveFile < usage ? usage - inactiveFile : usage);
        }
        stats.memoryLimit(dir.valueOr(MAX, -1));
        stats.memoryMaxUsage(dir.valueOr(PEAK, -1));
        stats.oomKills(oomKills(dir));
    }

    @Override public String oomFileName() { return EVENTS; }

    @Override
    public long oomKills(CgroupDir dir) { return dir.flatKeyed(EVENTS).getOrDefault("oom_kill", -1L); }
}
