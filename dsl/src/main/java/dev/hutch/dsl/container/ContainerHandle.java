package dev.hutch.dsl.container;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.dsl.Sandbox;
import dev.hutch.engine.Engine;
import dev.hutch.runtime.ExecResult;
import dev.hutch.spec.ExecSpec;
import dev.hutch.engine.Started;
import dev.hutch.logs.LogEntry;
import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkRecord;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.PortMapping;
import dev.hutch.image.ImageCommitter;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ExitRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A container described in a script: {@code start()} it, {@code exec} in it, read its
 * {@code logs()} and {@code stats()}, {@code waitFor} it to be ready, {@code stop}, {@code rm}.
 * Every container a script starts is removed when the script ends unless it calls {@code keep()}.
 */
public final class ContainerHandle {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Sandbox sandbox;
    private final ContainerSpec spec;
    private final String name;
    private volatile String id;
    private volatile boolean kept;

    public ContainerHandle(Sandbox sandbox, ContainerSpec spec) {
        this.sandbox = sandbox;
        this.spec = spec;
        this.name = spec.name();
    }

    /** A handle on a container that exists already (the shell's {@code container 'web'}); not removed at the end. */
    public static ContainerHandle existing(Sandbox sandbox, String ref) {
        ContainerState s = sandbox.engine().inspect(ref);
        ContainerHandle h = new ContainerHandle(sandbox, s.spec().toBuilder().name(s.name()).build());
        h.id = s.id();
        h.kept = true;
        return h;
    }

    private Engine engine() { return sandbox.engine(); }

    public String getName() { return name; }

    public ContainerSpec getSpec() { return spec; }

    /** The container's id, once started. */
    public String getId() { return id; }

    public boolean isKept() { return kept; }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Creates and starts the container in the background. */
    public ContainerHandle start() {
        if (id != null) throw new HutchException("container " + name + " was started already (make another container() to run a second one)");
        Started started = engine().run(spec, true);
        id = started.id();
        sandbox.started(this);
        return this;
    }

    /** Starts the container and waits for it to end: its exit code and output. */
    public Outcome run() { return run(Map.of()); }

    /** {@code run(timeout: 30.seconds)}: as {@link #run()}, failing if it takes longer. */
    public Outcome run(Map<String, ?> options) {
        start();
        ExitRecord exit;
        sandbox.foreground(this);
        try {
            Duration timeout = duration(options.get("timeout"), null);
            if (timeout != null) awaitExit(timeout);
            exit = exited();
        } finally {
            sandbox.foreground(null);
        }
        return new Outcome(exit.exitCode(), logText("stdout"), logText("stderr"), exit.oomKilled());
    }

    /** Blocks until the container has ended; its exit code. */
    public int waitForExit() { return exited().exitCode(); }

    /**
     * How the container ended, from the monitor's exit file. Engine.waitFor can return, and the
     * state can say exit code -1, while init is gone but the monitor has not yet written that file;
     * it follows within moments, so wait for it rather than report a wrong code.
     */
    private ExitRecord exited() {
        engine().waitFor(requireId());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ExitRecord r = engine().exitRecord(id);
        while (r == null && System.nanoTime() < deadline) {
            sleep(20);
            r = engine().exitRecord(id);
        }
        if (r == null) throw new HutchException("container " + name + " ended but its exit code was never recorded (see hutch inspect " + name + ")");
        return r;
    }

    /** docker stop: SIGTERM, then SIGKILL after 10 seconds. */
    public ContainerHandle stop() { return stop(Duration.ofSeconds(10)); }

    public ContainerHandle stop(Duration timeout) {
        engine().stop(requireId(), timeout);
        return this;
    }

    /** SIGKILL. */
    public ContainerHandle kill() { return kill("KILL"); }

    /** {@code kill 'TERM'}, {@code kill 'HUP'}. */
    public ContainerHandle kill(String signal) {
        engine().kill(requireId(), signal);
        return this;
    }

    /** Removes the container now (killing it if it runs), with its anonymous volumes. */
    public void rm() {
        engine().remove(requireId(), true, true);
        sandbox.forget(this);
    }

    /** Leaves this container in place when the script ends (remove it later with {@code hutch rm -f NAME}). */
    public ContainerHandle keep() {
        kept = true;
        return this;
    }

    /** For the sandbox's cleanup: removes the container if it still exists. */
    public void removeQuietly() {
        if (id == null) return;
        try {
            engine().remove(id, true, true);
        } catch (NotFoundException gone) {
            // removed already, e.g. by the script
        }
    }

    // ---- state ---------------------------------------------------------------------------------

    public ContainerState getState() { return engine().inspect(requireId()); }

    public boolean isRunning() { return id != null && getState().isRunning(); }

    /** The exit code once it has ended, else null. */
    public Integer getExitCode() {
        if (isRunning()) return null;
        ExitRecord r = engine().exitRecord(id);
        return r != null ? Integer.valueOf(r.exitCode()) : getState().exitCode();
    }

    public boolean isOomKilled() {
        ExitRecord r = id == null ? null : engine().exitRecord(id);
        return r != null ? r.oomKilled() : getState().oomKilled();
    }

    /** Its address on its first bridge or user network. */
    public String getIp() {
        List<Endpoint> eps = record().endpoints();
        if (eps.isEmpty()) throw new HutchException("container " + name + " has no address of its own (network " + spec.primaryNetwork().network() + ")");
        return eps.get(0).ip();
    }

    /** Its address on the named network. */
    public String ip(Object network) {
        String n = String.valueOf(network);
        return record().endpoints().stream().filter(e -> e.network().equals(n)).map(Endpoint::ip).findFirst()
                .orElseThrow(() -> new HutchException("container " + name + " is not on network " + n));
    }

    /** The host port that a container port is published on (useful with {@code port 0, 80}). */
    public int hostPort(int containerPort) {
        return record().ports().stream().filter(p -> p.containerPort() == containerPort).mapToInt(PortMapping::hostPort)
                .filter(p -> p > 0).findFirst()
                .orElseThrow(() -> new HutchException("container " + name + " does not publish port " + containerPort + " (add: port 8080, " + containerPort + ")"));
    }

    private NetworkRecord record() { return getState().network(); }

    // ---- exec, logs, stats ---------------------------------------------------------------------

    /** Runs a command in the running container; its exit code and output. */
    public Outcome exec(Object... argv) { return exec(Map.of(), argv); }

    /** {@code exec('sh', '-c', 'echo $X', env: [X: 1], workdir: '/tmp', user: 'nobody')}. */
    public Outcome exec(Map<String, ?> options, Object... argv) {
        List<String> env = new ArrayList<>();
        if (options.get("env") instanceof Map<?, ?> m) m.forEach((k, v) -> env.add(k + "=" + v));
        ExecSpec es = new ExecSpec(ContainerBuilder.strings(argv), env, str(options.get("workdir")), str(options.get("user")), false, false);
        ExecResult r = engine().execCapture(requireId(), es);
        return new Outcome(r.exitCode(), r.output(), r.error(), false);
    }

    /** Everything it wrote so far, stdout and stderr in order. */
    public String logs() { return logText(null); }

    /** {@code logs(stream: 'stderr')}. */
    public String logs(Map<String, ?> options) { return logText(str(options.get("stream"))); }

    private String logText(String stream) {
        return engine().logs(requireId()).read(-1, null).stream()
                .filter(e -> stream == null || e.stream().equals(stream))
                .map(LogEntry::text).collect(Collectors.joining());
    }

    public Stats stats() { return new Stats(name, engine().stats(requireId())); }

    // ---- readiness -----------------------------------------------------------------------------

    /**
     * Waits until the container is ready, or fails at the deadline or when the container ends first.
     * <ul>
     *   <li>{@code port: 80}: a TCP connect to the container's own address answers;</li>
     *   <li>{@code hostPort: 8080}: a TCP connect to 127.0.0.1 answers (a published port);</li>
     *   <li>{@code log: ~/listening/}: a log line matches (a Pattern or a regex string);</li>
     *   <li>{@code timeout: 10.seconds} (default 30 seconds).</li>
     * </ul>
     */
    public ContainerHandle waitFor(Map<String, ?> options) {
        Duration timeout = duration(options.get("timeout"), DEFAULT_WAIT);
        long deadline = System.nanoTime() + timeout.toNanos();
        Condition c = condition(options);
        while (true) {
            if (c.met()) return this;
            if (!isRunning()) {
                throw new HutchException("container " + name + " ended (exit code " + getExitCode() + ") before " + c.what()
                        + "; its last output: " + tail(logs(), 3));
            }
            if (System.nanoTime() > deadline)
                throw new HutchException("container " + name + ": " + c.what() + " did not happen within " + seconds(timeout)
                        + " (raise it with timeout: 60.seconds)");
            sleep(50);
        }
    }

    /** {@code waitFor ~/ready/}: a log line. */
    public ContainerHandle waitFor(Pattern logLine) { return waitFor(Map.of("log", logLine)); }

    private interface Condition {
        boolean met();

        String what();
    }

    private Condition condition(Map<String, ?> o) {
        if (o.get("port") instanceof Number p) {
            String ip = spec.primaryNetwork().isHost() ? "127.0.0.1" : getIp();
            return condition(() -> PortProbe.answers(ip, p.intValue(), 200), "port " + p + " answering at " + ip);
        }
        if (o.get("hostPort") instanceof Number p)
            return condition(() -> PortProbe.answers("127.0.0.1", p.intValue(), 200), "port " + p + " answering at 127.0.0.1");
        Object log = o.get("log");
        if (log != null) {
            Pattern re = log instanceof Pattern pt ? pt : Pattern.compile(String.valueOf(log));
            return condition(() -> re.matcher(logs()).find(), "a log line matching /" + re + "/");
        }
        throw new HutchException("waitFor needs port: N, hostPort: N or log: /regex/ (e.g. web.waitFor port: 80, timeout: 10.seconds)");
    }

    private static Condition condition(java.util.function.BooleanSupplier met, String what) {
        return new Condition() {
            public boolean met() { return met.getAsBoolean(); }

            public String what() { return what; }
        };
    }

    private void awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning()) {
            if (System.nanoTime() > deadline)
                throw new HutchException("container " + name + " still runs after " + seconds(timeout) + " (raise it with timeout: 60.seconds)");
            sleep(50);
        }
    }

    // ---- images --------------------------------------------------------------------------------

    /**
     * Saves the container's filesystem changes as a new image, {@code web.commit('site:v2')}: the
     * image's layers plus one layer made from the container's writable layer. The engine's commit,
     * as {@code hutch commit}: a running container is paused meanwhile (docker's default), so the
     * layer is a consistent snapshot, and its command is recorded in the image's history.
     *
     * @return the new image's id
     */
    public String commit(String image) {
        return engine().commit(requireId(), new ImageCommitter.CommitOptions(List.of(), null, null, null, List.of(image)));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String requireId() {
        if (id == null) throw new HutchException("container " + name + " has not been started (call " + name + ".start() first)");
        return id;
    }

    static Duration duration(Object o, Duration dflt) {
        if (o == null) return dflt;
        if (o instanceof Duration d) return d;
        if (o instanceof Number n) return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        throw new HutchException("timeout: \"" + o + "\" is not a duration (try 10.seconds)");
    }

    private static String seconds(Duration d) { return d.toMillis() / 1000.0 + " s"; }

    private static String str(Object o) { return o == null ? null : String.valueOf(o); }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        String t = String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        return t.isEmpty() ? "(none)" : t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while waiting", e);
        }
    }

    @Override
    public String toString() { return name; }
}
