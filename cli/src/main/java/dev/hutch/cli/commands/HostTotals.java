package dev.hutch.cli.commands;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

import java.util.Locale;

/**
 * The host's totals for the last line of {@code stats}, through OSHI. Only {@code stats} loads
 * this class, so OSHI stays off every other command (and off the run path).
 */
final class HostTotals {
    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private long[] ticks;

    static {
        // OSHI logs through SLF4J, and the CLI ships no SLF4J binding: keep its "no providers" notice off stderr.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    HostTotals() {
        SystemInfo si = new SystemInfo();
        cpu = si.getHardware().getProcessor();
        memory = si.getHardware().getMemory();
        ticks = cpu.getSystemCpuLoadTicks();
    }

    long memoryTotal() { return memory.getTotal(); }

    /** "HOST  2 cpus 37.5%  MEM 3.1GiB / 23.5GiB (13.2%)", cpu since the previous call. */
    String line() {
        double load = cpu.getSystemCpuLoadBetweenTicks(ticks);
        ticks = cpu.getSystemCpuLoadTicks();
        long total = memory.getTotal(), used = total - memory.getAvailable();
        return String.format(Locale.ROOT, "HOST: %d cpus %.1f%%   MEM %s / %s (%.1f%%)", cpu.getLogicalProcessorCount(),
                load * 100, StatsSample.binary(used), StatsSample.binary(total), total > 0 ? used * 100.0 / total : 0);
    }
}
