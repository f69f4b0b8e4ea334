package dev.hutch.dsl;

import dev.hutch.HutchException;
import dev.hutch.dsl.container.ContainerBuilder;
import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.dsl.container.ContainerTable;
import dev.hutch.dsl.container.Outcome;
import dev.hutch.dsl.container.Stats;
import dev.hutch.dsl.network.NetworkBuilder;
import dev.hutch.dsl.network.NetworkHandle;
import dev.hutch.dsl.recipe.ImageRecipes;
import dev.hutch.dsl.recipe.RecipeSteps;
import dev.hutch.engine.Engine;
import dev.hutch.spec.ContainerSpec;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;

import java.time.Duration;
import java.util.Map;

/**
 * The base class of every sandbox script and of the shell (set through
 * {@code CompilerConfiguration.setScriptBaseClass}): the top-level words of the DSL.
 * <pre>
 * def net = network('lab') { subnet '10.123.0.0/24' }
 * def web = container('web') { image 'busybox'; network net; command 'httpd', '-f', '-p', '80' }
 * web.start()
 * </pre>
 * Everything a script makes is taken down when it ends ({@link Sandbox#close()}).
 */
public abstract class HutchScript extends Script {
    /** The binding variable through which the runner and the shell hand in the sandbox. */
    public static final String SANDBOX = "hutchSandbox";

    protected Sandbox sandbox() {
        Object s = getBinding().hasVariable(SANDBOX) ? getBinding().getVariable(SANDBOX) : null;
        if (s instanceof Sandbox sb) return sb;
        throw new IllegalStateException("this script runs outside hutch (no sandbox in its binding); run it with `hutch script FILE.groovy`");
    }

    /** The engine itself, for what the DSL does not cover. */
    public Engine getEngine() { return sandbox().engine(); }

    // ---- describing ----------------------------------------------------------------------------

    /** Describes a container; {@code start()} or {@code run()} the handle to make it. */
    public ContainerHandle container(String name,
                                     @DelegatesTo(value = ContainerBuilder.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        Sandbox sb = sandbox();
        ContainerBuilder b = new ContainerBuilder(name, sb.scriptFile(), sb.baseDir());
        call(body, b);
        return new ContainerHandle(sb, b.build());
    }

    /** A handle on an existing container, by name or id (left in place at the end). */
    public ContainerHandle container(String ref) { return ContainerHandle.existing(sandbox(), ref); }

    /** Creates a user network (or uses the existing one of that name). */
    public NetworkHandle network(String name,
                                 @DelegatesTo(value = NetworkBuilder.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        NetworkBuilder b = new NetworkBuilder();
        call(body, b);
        return NetworkHandle.create(sandbox(), name, b);
    }

    /** A user network with a subnet the engine picks. */
    public NetworkHandle network(String name) { return NetworkHandle.create(sandbox(), name, new NetworkBuilder()); }

    /**
     * Builds an image from a recipe, cached like {@code hutch build}, and returns its name:
     * <pre>
     * def site = image('samples/site') { from 'busybox'; copy 'site/', '/www/'; cmd 'httpd', '-f', '-h', '/www' }
     * container('web') { image site }
     * </pre>
     * The build context is the script's directory. The image stays after the script, like a commit.
     */
    public String image(String name,
                        @DelegatesTo(value = RecipeSteps.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        return image(Map.of(), name, body);
    }

    /** {@code image('site', context: 'site-src', quiet: true, noCache: true) { ... }}: another context dir, no step lines, no cache. */
    public String image(Map<String, ?> options, String name,
                        @DelegatesTo(value = RecipeSteps.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        Sandbox sb = sandbox();
        RecipeSteps steps = new RecipeSteps(sb.scriptFile());
        call(body, steps);
        Object ctx = options.get("context");
        java.io.PrintStream progress = Boolean.TRUE.equals(options.get("quiet")) ? null : scriptOut();
        ImageRecipes.build(sb.engine(), name, steps, sb.baseDir(), ctx == null ? null : java.nio.file.Path.of(ctx.toString()),
                Boolean.TRUE.equals(options.get("noCache")), progress);
        return name;
    }

    /**
     * The script's stdout: the runner's "out" (the caller's stream, which in the engine service is
     * one request's fd, not this JVM's); System.out only for a script run outside the runner.
     */
    private java.io.PrintStream scriptOut() {
        Object out = getBinding().hasVariable("out") ? getBinding().getVariable("out") : null;
        return out instanceof java.io.PrintStream ps ? ps : System.out;
    }

    private static void call(Closure<?> body, Object delegate) {
        Closure<?> c = (Closure<?>) body.clone();
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        c.setDelegate(delegate);
        c.call(delegate);
    }

    /**
     * {@code bench { quick(); cpus 0.25, 0.5; out 'results' }}: runs the resource-limit benchmark
     * ({@code hutch bench limits}) with progress on stdout; returns its results (and writes the
     * report files when {@code out} is given). It cleans up its own containers.
     */
    public dev.hutch.bench.Results bench(@DelegatesTo(value = dev.hutch.dsl.bench.BenchBuilder.class,
            strategy = Closure.DELEGATE_FIRST) Closure<?> spec) {
        dev.hutch.dsl.bench.BenchBuilder b = new dev.hutch.dsl.bench.BenchBuilder();
        call(spec, b);
        dev.hutch.bench.Results results = dev.hutch.bench.LimitBenchmark.run(sandbox().engine(), b.options(), scriptOut());
        if (b.outDir() != null) results.writeTo(sandbox().baseDir().resolve(b.outDir()));
        return results;
    }

    // ---- the engine's verbs, for one-liners and the shell ---------------------------------------

    /**
     * {@code run 'busybox', 'echo', 'hi'}: a throwaway container with no network, run to its end;
     * its exit code and output.
     */
    public Outcome run(String image, Object... argv) {
        ContainerSpec spec = ContainerSpec.builder(image).command(strings(argv)).network("none").build();
        return new ContainerHandle(sandbox(), spec).run();
    }

    /** Running containers, like {@code hutch ps}. */
    public ContainerTable ps() { return new ContainerTable(sandbox().engine().list(false)); }

    /** {@code ps all: true}: stopped ones too. */
    public ContainerTable ps(Map<String, ?> options) {
        return new ContainerTable(sandbox().engine().list(Boolean.TRUE.equals(options.get("all"))));
    }

    public String logs(String ref) { return container(ref).logs(); }

    public Stats stats(String ref) { return container(ref).stats(); }

    public Outcome exec(String ref, Object... argv) { return container(ref).exec(argv); }

    public void stop(String ref) { sandbox().engine().stop(ref, Duration.ofSeconds(10)); }

    public void kill(String ref) { sandbox().engine().kill(ref, "KILL"); }

    /** Removes a container, running or not (docker rm -f). */
    public void rm(String ref) {
        sandbox().engine().remove(ref, true, true);
        sandbox().containers().stream().filter(c -> ref.equals(c.getName()) || ref.equals(c.getId()))
                .forEach(sandbox()::forget);
    }

    /**
     * {@code show x}, {@code show { ps() }}: prints a value as the shell prints a result (nothing for
     * null or empty text); a closure is called and its value shown. The shell's {@code :save}
     * writes it where the session showed a value.
     */
    public void show(Object value) {
        Object v = value instanceof Closure<?> c ? c.call() : value;
        if (v != null && !"".equals(v)) scriptOut().println(v);
    }

    // ---- ending --------------------------------------------------------------------------------

    /** Ends the script with this exit code, after the usual cleanup. */
    public void exit(int code) { throw new ScriptExit(code); }

    /** Fails the script with a message (exit code 1), reported at this line. */
    public void fail(String message) { throw new CheckFailed(message); }

    // ---- tests ---------------------------------------------------------------------------------

    /** The binding variable through which {@code hutch test} hands in which blocks to run. */
    public static final String TESTS = "hutchTests";

    /**
     * {@code test('two containers talk') { ... }}: one test of a file run by {@code hutch test},
     * with a sandbox of its own (what it starts is removed when it ends, pass or fail). Under
     * {@code hutch script} and in the shell the block simply runs, and a failure ends the script.
     */
    public void test(String name, @DelegatesTo(strategy = Closure.OWNER_FIRST) Closure<?> body) {
        Object tests = getBinding().hasVariable(TESTS) ? getBinding().getVariable(TESTS) : null;
        if (tests instanceof dev.hutch.dsl.suite.TestBlocks blocks) blocks.run(name, body, getBinding());
        else body.call();
    }

    private static java.util.List<String> strings(Object[] argv) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Object o : argv) out.add(String.valueOf(o));
        return out;
    }
}
