package dev.hutch.bench;

import java.time.Duration;
import java.util.List;

/**
 * What the resource-limit benchmark runs. The defaults take about 50 s on a 2-core machine (the
 * cpu rows dominate: warm-up plus window per quota); {@link #quick()} about 16 s.
 *
 * @param image              the image of every workload (busybox is built in)
 * @param cpuQuotas          --cpus values to measure
 * @param cpuWarmup          time a spinner runs before the window opens (start-up, first periods)
 * @param cpuWindow          the measuring window; a whole number of 100 ms periods keeps the
 *                           throttling pattern from biasing the reading
 * @param memoryLimits       -m values, bytes
 * @param memoryWorkload     bytes the allocating workload tries to hold (above every limit: each must OOM)
 * @param minMemoryLow       the bisection's lower end for "smallest -m at which `true` starts"
 * @param minMemoryHigh      its upper end
 * @param minMemoryStep      its resolution
 * @param pidsLimits         --pids-limit values
 * @param ioWriteBps         --device-write-bps rate for the writer, bytes per second; 0 skips io
 * @param ioWindow           the writer's measuring window
 */
public record Options(String image, List<Double> cpuQuotas, Duration cpuWarmup, Duration cpuWindow,
                      List<Long> memoryLimits, long memoryWorkload, long minMemoryLow, long minMemoryHigh,
                      long minMemoryStep, List<Long> pidsLimits, long ioWriteBps, Duration ioWindow) {
    private static final long KIB = 1024, MIB = 1024 * KIB;

    public Options {
        cpuQuotas = List.copyOf(cpuQuotas);
        memoryLimits = List.copyOf(memoryLimits);
        pidsLimits = List.copyOf(pidsLimits);
    }

    public static Options defaults() {
        return new Options("busybox", List.of(0.1, 0.25, 0.5, 1.0, 1.5), Duration.ofMillis(1500), Duration.ofSeconds(5),
                List.of(16 * MIB, 32 * MIB, 64 * MIB), 100 * MIB, 256 * KIB, 16 * MIB, 64 * KIB,
                List.of(16L, 64L), 10 * MIB, Duration.ofSeconds(3));
    }

    /** Fewer quotas and shorter windows: a smoke run of every workload. */
    public static Options quick() {
        return new Options("busybox", List.of(0.25, 0.5, 1.0), Duration.ofMillis(1000), Duration.ofSeconds(2),
                List.of(32 * MIB), 100 * MIB, 256 * KIB, 16 * MIB, 256 * KIB,
                List.of(32L), 10 * MIB, Duration.ofSeconds(2));
    }

    public Options withIoWriteBps(long bps) {
        return new Options(image, cpuQuotas, cpuWarmup, cpuWindow, memoryLimits, memoryWorkload, minMemoryLow,
                minMemoryHigh, minMemoryStep, pidsLimits, bps, ioWindow);
    }

    public Options withCpuQuotas(List<Double> quotas) {
        return new Options(image, quotas, cpuWarmup, cpuWindow, memoryLimits, memoryWorkload, minMemoryLow,
                minMemoryHigh, minMemoryStep, pidsLimits, ioWriteBps, ioWindow);
    }
}
