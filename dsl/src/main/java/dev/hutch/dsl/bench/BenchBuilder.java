package dev.hutch.dsl.bench;

import dev.hutch.bench.Options;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code bench { }} block: which limits {@code hutch bench limits} measures, and where the
 * table, JSON, CSV, SVG and HTML go.
 * <pre>
 * def results = bench {
 *     quick()                 // fewer quotas, shorter windows
 *     cpus 0.25, 0.5          // the --cpus quotas to measure
 *     noIo()                  // skip the write-bandwidth writer
 *     out 'bench-results'     // write every report file there
 * }
 * </pre>
 */
public final class BenchBuilder {
    private Options options = Options.defaults();
    private Path out;

    public void quick() { options = Options.quick(); }

    public void cpus(Double... quotas) { options = options.withCpuQuotas(Arrays.asList(quotas)); }

    public void noIo() { options = options.withIoWriteBps(0); }

    public void out(String dir) { out = Path.of(dir); }

    public Options options() { return options; }

    public Path outDir() { return out; }
}
