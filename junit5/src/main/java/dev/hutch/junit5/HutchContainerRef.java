package dev.hutch.junit5;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.engine.Engine;
import dev.hutch.logs.LogEntry;
import dev.hutch.net.Endpoint;
import dev.hutch.runtime.ExecResult;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.ExecSpec;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A container a test declares as a {@link HutchContainer} field: the spec (the same
 * {@link ContainerSpec} the CLI's flags and the DSL build), what "ready" means, and, while the
 * {@link HutchExtension} has it running, the accessors a test needs (id, address, published
 * ports, exec, logs).
 *
 * <pre>{@code
 * @HutchContainer
 * static final HutchContainerRef web = HutchContainerRef.of(ContainerSpec.builder("busybox")
 *         .command("httpd", "-f", "-p", "8080")
 *         .port(new PortMapping("127.0.0.1", 0, 8080, "tcp")))
 *     .waitingForHostPort(8080);
 * }</pre>
 *
 * The declaration is immutable ({@code waitingFor...} return a new ref); the running container it
 * holds changes only under the ref's own lock, so tests running in parallel may read a static ref
 * freely. An instance ref belongs to one test at a time.
 */
public final class HutchContainerRef {
    /** The default for {@link #startupTimeout(Duration)}. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final ContainerSpec spec;
    private final List<Readiness> readiness;
    private final Duration startupTimeout;
    private volatile Running running;

    private HutchContainerRef(ContainerSpec spec, List<Readiness> readiness, Duration startupTimeout) {
        this.spec = spec;
        this.readiness = List.copyOf(readiness);
        this.startupTimeout = startupTimeout;
    }

    public static HutchContainerRef of(ContainerSpec.Builder spec) { return of(spec.build()); }

    public static HutchContainerRef of(ContainerSpec spec) {
        if (spec == null) throw new IllegalArgumentException("HutchContainerRef.of needs a spec (try ContainerSpec.builder(\"busybox\"))");
        return new HutchContainerRef(spec, List.of(), DEFAULT_STARTUP_TIMEOUT);
    }

    /** Ready once a TCP connect to the container's own address on {@code containerPort} answers. */
    public HutchContainerRef waitingForPort(int containerPort) { return with(Readiness.containerPort(containerPort)); }

    /** Ready once a TCP connect to 127.0.0.1 on the host port published for {@code containerPort} answers. */
    public HutchContainerRef waitingForHostPort(int containerPort) { return with(Readiness.hostPort(containerPort)); }

    /** Ready once a line of the container's output matches {@code regex} (found anywhere in the line). */
    public HutchContainerRef waitingForLog(String regex) { return with(Readiness.logLine(regex)); }

    /** How long the waits may take together before the test fails; {@link #DEFAULT_STARTUP_TIMEOUT} unless set. */
    public HutchContainerRef startupTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("startupTimeout: \"" + timeout + "\" is not a positive duration (try Duration.ofSeconds(30))");
        return new HutchContainerRef(spec, readiness, timeout);
    }

    private HutchContainerRef with(Readiness r) {
        List<Readiness> all = new ArrayList<>(readiness);
        all.add(r);
        return new HutchContainerRef(spec, all, startupTimeout);
    }

    /** The spec as declared (without the name and labels the extension adds). */
    public ContainerSpec spec() { return spec; }

    // ---- while running -------------------------------------------------------------------------

    /** The container's 64-hex id. */
    public String id() { return current().id(); }

    /** Its name: the spec's, or the unique one the extension gave it. */
    public String name() { return current().name(); }

    /** Its record as {@code hutch inspect} reads it, status live. */
    public ContainerState state() {
        Running r = current();
        return r.engine().inspect(r.id());
    }

    public boolean isRunning() {
        Running r = running;
        return r != null && r.engine().isRunning(r.id());
    }

    /** Its address on its first network (the default bridge unless the spec says otherwise). */
    public String ip() {
        ContainerState s = state();
        List<Endpoint> eps = s.network().endpoints();
        if (eps.isEmpty())
            throw new HutchException("container " + s.name() + " has no address of its own (network mode " + s.network().mode() + ")");
        return eps.get(0).ip();
    }

    /**
     * The host port published for {@code containerPort} (tcp first): the one the engine picked when
     * the spec asked for host port 0.
     */
    public int hostPort(int containerPort) {
        ContainerState s = state();
        return s.network().ports().stream()
                .filter(p -> p.containerPort() == containerPort && p.hostPort() > 0)
                .sorted((a, b) -> Boolean.compare(!a.protocol().equals("tcp"), !b.protocol().equals("tcp")))
                .mapToInt(PortMapping::hostPort).findFirst()
                .orElseThrow(() -> new HutchException("container " + s.name() + " does not publish port " + containerPort
                        + " (add .port(new PortMapping(\"127.0.0.1\", 0, " + containerPort + ", \"tcp\")) to its spec)"));
    }

    /** Runs a command in the container (as {@code hutch exec}); its exit code and its output, captured. */
    public ExecResult exec(String... command) {
        Running r = current();
        return r.engine().execCapture(r.id(), ExecSpec.of(command));
    }

    /** Runs a command as {@link #exec(String...)} with a full {@link ExecSpec} (env, user, workdir). */
    public ExecResult exec(ExecSpec exec) {
        Running r = current();
        return r.engine().execCapture(r.id(), exec);
    }

    /** Everything the container wrote so far, stdout and stderr in the order written. */
    public String logs() {
        Running r = current();
        return r.engine().logs(r.id()).read(-1, null).stream()
                .filter(e -> !e.isHutch()).map(LogEntry::text).collect(Collectors.joining());
    }

    // ---- the extension's side ------------------------------------------------------------------

    /** What started this ref: the engine and the container. */
    record Running(Engine engine, String id, String name, String field) {}

    private Running current() {
        Running r = running;
        if (r == null)
            throw new IllegalStateException("this hutch container is not running: declare it as a @HutchContainer field of a test class"
                    + " that uses the HutchExtension (@Hutch), and use it from a test (a static field from @BeforeAll on too)");
        return r;
    }

    /**
     * Starts the container under {@code name} (unless the spec names it) with {@code labels}, then
     * waits until it is ready. On any failure the container is removed before the error is thrown.
     */
    synchronized void start(Engine engine, String field, String name, Map<String, String> labels) {
        if (running != null)
            throw new IllegalStateException("@HutchContainer " + field + " already runs container " + running.name()
                    + ": an instance field is one container per test, so a test instance shared by tests running at the same"
                    + " time (@TestInstance(PER_CLASS) with concurrent methods) cannot use it; make it static or run those tests in order");
        requireImage(engine, field);
        ContainerSpec.Builder b = spec.toBuilder();
        if (spec.name() == null) b.name(name);
        labels.forEach(b::label);
        Running r = RunningContainers.run(engine, b.build(), field);
        running = r;
        try {
            Readiness.awaitAll(readiness, this, startupTimeout);
        } catch (RuntimeException | Error e) {
            remove();
            throw e;
        }
    }

    /** The engine's "Unable to find image" with what a test can do about it: the extension does not pull. */
    private void requireImage(Engine engine, String field) {
        try {
            engine.image(spec.image());
        } catch (NotFoundException e) {
            throw new NotFoundException("@HutchContainer " + field + ": no image '" + spec.image() + "' in hutch's store at "
                    + engine.config().libRoot() + " (the extension does not pull: run `sudo hutch pull " + spec.image()
                    + "` first; for busybox, add hutch-rootfs-builder to the test class path)");
        }
    }

    /** Removes the container (killed first if it runs) and its anonymous volumes; nothing if none runs. */
    synchronized void remove() {
        Running r = running;
        running = null;
        if (r != null) RunningContainers.remove(r);
    }

    @Override
    public String toString() {
        Running r = running;
        return "HutchContainerRef[" + spec.image() + (r == null ? ", not running]" : ", " + r.name() + " " + r.id().substring(0, 12) + "]");
    }
}
