package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.dsl.suite.JUnitXml;
import dev.hutch.dsl.suite.SuiteRunner;
import dev.hutch.dsl.suite.TestDiscovery;
import dev.hutch.dsl.suite.TestOutcome;
import dev.hutch.spec.InvalidSpecException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * hutch test DIR|FILE...: sandbox scripts as a test suite (see docs/dsl.md, "Scripts as tests").
 * Exit 0 when every test passed, 1 when one failed or errored, 125 for bad input. Groovy is loaded
 * only here, never on {@code hutch run}.
 */
public final class TestCommand implements Command {
    public String name() { return "test"; }
    public String summary() { return "Run sandbox scripts (or their test blocks) as a test suite"; }
    public String usage() { return "test [OPTIONS] DIR|FILE.groovy..."; }

    public Flags flags() {
        return new Flags(name()).value("parallel", "j", "Run up to N scripts at the same time (the blocks of one script run in turn; default 1)")
                .value("junit-xml", null, "Write a JUnit XML report to FILE (as Surefire does; CI servers read it)")
                .bool("debug", "D", "Show stack traces of errors");
    }

    public int run(Context ctx, Flags.Parsed a) throws InterruptedException {
        List<String> named = a.positional();
        if (named.isEmpty()) throw new HutchException("\"hutch test\" requires scripts or directories (try: hutch test samples/)");
        int parallel = a.intValue("parallel", 1);
        if (parallel < 1) throw new InvalidSpecException("--parallel", String.valueOf(parallel), "must be 1 or more");
        Path report = a.value("junit-xml") == null ? null : ctx.path(a.value("junit-xml"));
        if (report != null && !Files.isDirectory(report.toAbsolutePath().getParent()))
            throw new HutchException("--junit-xml: the directory of " + a.value("junit-xml") + " does not exist (create it first)");
        List<TestDiscovery.Unit> units = TestDiscovery.units(named.stream().map(ctx::path).toList(), named);
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<TestOutcome> outcomes = new SuiteRunner(ctx::engine, ctx.out(), a.bool("debug")).run(units, parallel);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        ctx.out().println(SuiteRunner.summary(outcomes, wall));
        if (report != null) JUnitXml.write(report, outcomes, wall, started);
        return SuiteRunner.exitCode(outcomes);
    }
}
