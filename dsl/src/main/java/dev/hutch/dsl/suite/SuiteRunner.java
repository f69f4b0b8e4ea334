package dev.hutch.dsl.suite;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.Sandbox;
import dev.hutch.dsl.ScriptRunner;
import dev.hutch.dsl.suite.TestDiscovery.Unit;
import dev.hutch.dsl.suite.TestOutcome.Status;
import dev.hutch.engine.Engine;
import groovy.lang.Binding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code hutch test}: runs each unit (a script, or one named block of it) as a script run of its
 * own, with its own sandbox, so what a test started is removed when it ends, passed or not; up to
 * {@code parallel} scripts at once. Each outcome is printed as it comes; the caller prints the
 * summary and writes the report.
 *
 * <p>The blocks of one script run one after the other, since they typically name their containers
 * alike; different scripts run side by side share the engine, so fixed container names in two of
 * them collide, as two scripts run by hand at once would.
 */
public final class SuiteRunner {
    private final Supplier<Engine> engine;
    private final PrintStream out;
    private final boolean debug;

    public SuiteRunner(Supplier<Engine> engine, PrintStream out, boolean debug) {
        this.engine = engine;
        this.out = out;
        this.debug = debug;
    }

    /** Runs the units; the outcomes in the order of the scripts. */
    public List<TestOutcome> run(List<Unit> units, int parallel) throws InterruptedException {
        java.util.Map<java.nio.file.Path, List<Unit>> byScript = new java.util.LinkedHashMap<>();
        for (Unit u : units) byScript.computeIfAbsent(u.path(), k -> new ArrayList<>()).add(u);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, byScript.size())), r -> {
            Thread t = new Thread(r, "hutch-test");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<TestOutcome>>> running = new ArrayList<>();
            for (List<Unit> script : byScript.values()) {
                running.add(pool.submit(() -> {
                    List<TestOutcome> done = new ArrayList<>();
                    for (Unit u : script) done.addAll(report(runOne(u)));
                    return done;
                }));
            }
            List<TestOutcome> all = new ArrayList<>();
            for (Future<List<TestOutcome>> f : running) {
                try {
                    all.addAll(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("hutch test: " + e.getCause(), e.getCause());
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<TestOutcome> report(List<TestOutcome> outcomes) {
        synchronized (out) {
            for (TestOutcome o : outcomes) {
                out.printf("%-5s  %-50s %8s%n", o.status().label(), o.displayName(), seconds(o.time()));
                if (!o.message().isEmpty()) out.println(o.message().indent(7).stripTrailing());
            }
            out.flush();
        }
        return outcomes;
    }

    /** One unit, start to cleanup. */
    List<TestOutcome> runOne(Unit unit) {
        String scriptFile = unit.path().getFileName().toString();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream scriptOut = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Sandbox sandbox = new Sandbox(engine, scriptFile, unit.path().toAbsolutePath().getParent(), scriptOut);
        TestBlocks blocks = new TestBlocks(unit.block(), unit.display(), scriptFile, debug);
        Thread cleanup = new Thread(sandbox::close, "hutch-test-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            Binding binding = new Binding();
            binding.setVariable("args", new String[0]);
            binding.setVariable("out", scriptOut);
            binding.setVariable(HutchScript.SANDBOX, sandbox);
            binding.setVariable(HutchScript.TESTS, blocks);
            GroovyShell shell = new GroovyShell(ScriptRunner.class.getClassLoader(), binding, ScriptRunner.compilerConfiguration());
            shell.parse(new GroovyCodeSource(unit.path().toFile(), "UTF-8")).run();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            sandbox.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already
            }
        }
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        String output = printed.toString(StandardCharsets.UTF_8);
        Verdict outside = Verdict.of(thrown, scriptFile, debug);
        List<TestOutcome> ran = blocks.outcomes();
        List<TestOutcome> out = new ArrayList<>();
        if (unit.block() != null) {
            // the block's outcome over the whole run (its set-up is part of it), unless what ran
            // around it failed: then that is what the test shows
            TestOutcome b = ran.isEmpty() ? null : ran.get(0);
            Verdict v = outside.status() != Status.PASSED || b == null
                    ? (outside.status() != Status.PASSED ? outside
                       : new Verdict(Status.ERRORED, scriptFile + ": test('" + unit.block() + "') was never reached (is it inside an if?)"))
                    : new Verdict(b.status(), b.message());
            out.add(new TestOutcome(unit.display(), unit.block(), v.status(), time, v.message(), output));
        } else if (ran.isEmpty()) {
            out.add(new TestOutcome(unit.display(), scriptFile, outside.status(), time, outside.message(), output));
        } else {
            // blocks with computed names, found only by running the script: each one as it ran
            for (TestOutcome b : ran) out.add(new TestOutcome(b.file(), b.name(), b.status(), b.time(), b.message(), output));
            if (outside.status() != Status.PASSED)
                out.add(new TestOutcome(unit.display(), scriptFile, outside.status(), time, outside.message(), output));
        }
        return out;
    }

    static String seconds(Duration d) { return String.format(java.util.Locale.ROOT, "%.2f s", d.toNanos() / 1e9); }

    /** {@code 4 tests: 2 passed, 1 failed, 1 errored in 3.10 s}. */
    public static String summary(List<TestOutcome> outcomes, Duration wall) {
        long passed = outcomes.stream().filter(o -> o.status() == Status.PASSED).count();
        long failed = outcomes.stream().filter(o -> o.status() == Status.FAILED).count();
        long errored = outcomes.stream().filter(o -> o.status() == Status.ERRORED).count();
        return outcomes.size() + (outcomes.size() == 1 ? " test: " : " tests: ") + passed + " passed, " + failed + " failed, "
                + errored + " errored in " + seconds(wall);
    }

    /** 0 when every test passed, 1 otherwise (as test runners do). */
    public static int exitCode(List<TestOutcome> outcomes) {
        return outcomes.stream().allMatch(o -> o.status() == Status.PASSED) ? 0 : 1;
    }
}
