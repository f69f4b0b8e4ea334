package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.bench.LimitBenchmark;
import dev.hutch.bench.Options;
import dev.hutch.bench.Results;
import dev.hutch.bench.ResultsText;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.nio.file.Path;

/** hutch bench limits: how well cpu, memory, pids and io limits hold; table, JSON, CSV, SVG, HTML. */
public final class BenchCommand implements Command {
    public String name() { return "bench"; }
    public String summary() { return "Benchmark how well resource limits hold (bench limits)"; }
    public String usage() { return "bench limits [--quick] [--out DIR] [--no-io]"; }

    public Flags flags() {
        return new Flags(name())
                .bool("quick", null, "Fewer settings and shorter windows (about 20 s instead of 50 s)")
                .value("out", "o", "Directory for limits.{txt,json,csv,svg,html} (default ./hutch-bench-limits)")
                .bool("no-io", null, "Skip the write-bandwidth workload");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1 || !a.positional().get(0).equals("limits"))
            throw new HutchException("\"hutch bench\" runs one benchmark: limits (try: hutch bench limits --quick)");
        Options options = a.bool("quick") ? Options.quick() : Options.defaults();
        if (a.bool("no-io")) options = options.withIoWriteBps(0);
        Results results = LimitBenchmark.run(ctx.engine(), options, ctx.out());
        ctx.out().println();
        ctx.out().print(ResultsText.table(results));
        Path out = ctx.path(a.value("out", "hutch-bench-limits"));
        for (Path p : results.writeTo(out)) ctx.out().println("wrote " + p);
        return 0;
    }
}
