package dev.hutch.engine;

import dev.hutch.runtime.ExecResult;
import dev.hutch.spec.ExecSpec;
import dev.hutch.config.EngineConfig;
import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cgroup.CgroupManager;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.image.Image;
import dev.hutch.image.ImageCommitter;
import dev.hutch.image.ImageSource;
import dev.hutch.image.LocalImageStore;
import dev.hutch.layer.LayerDriver;
import dev.hutch.layer.RootfsRecord;
import dev.hutch.logs.LogReader;
import dev.hutch.net.HostNetworking;
import dev.hutch.runtime.ChildStdio;
import dev.hutch.runtime.ExecLauncher;
import dev.hutch.runtime.ExecPlanner;
import dev.hutch.runtime.HelperBinary;
import dev.hutch.runtime.LaunchFile;
import dev.hutch.runtime.UserResolver;
import dev.hutch.util.AtomicFiles;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.Resources;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.ExitRecord;
import dev.hutch.state.StateStore;
import dev.hutch.util.ProcStat;
import dev.hutch.spec.Mount;
import dev.hutch.volume.HostVolumes;
import dev.hutch.volume.VolumeStore;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The engine's façade: the verbs of the CLI and the DSL, over containers described by a
 * {@link ContainerSpec}. It holds no state of its own beyond its collaborators; everything lives on
 * disk under the configured roots, so any number of hutch processes can work side by side.
 *
 * <p>The run flow is in {@link ContainerRunner}, stop/kill/rm in {@link ContainerLifecycle}.
 */
public final class Engine {
    private final EngineConfig config;
    private final StateStore states;
    private final LocalImageStore images;
    private final ImageSource builtins;
    private final LayerDriver layers;
    private final CgroupManager cgroups;
    private final Supplier<HostNetworking> networking;
    private final HostVolumes volumes;
    private final ChildStdio stdio;
    private volatile Path helper;
    private volatile dev.hutch.userns.UserNamespaces userNamespaces;
    private volatile Supplier<List<String>> exitCommand = List::of;

    /** See {@link Engines#forHost} for the host's parts; the caller is this JVM (its stdio). */
    public Engine(EngineConfig config, StateStore states, LocalImageStore images, ImageSource builtins, LayerDriver layers,
                  CgroupManager cgroups, Supplier<HostNetworking> networking, HostVolumes volumes) {
        this(config, states, images, builtins, layers, cgroups, networking, volumes, ChildStdio.inherited());
    }

    /** @param stdio the caller's stdio: where foreground containers and execs get theirs */
    public Engine(EngineConfig config, StateStore states, LocalImageStore images, ImageSource builtins, LayerDriver layers,
                  CgroupManager cgroups, Supplier<HostNetworking> networking, HostVolumes volumes, ChildStdio stdio) {
        this.stdio = stdio;
        this.config = config;
        this.states = states;
        this.images = images;
        this.builtins = builtins;
        this.layers = layers;
        this.cgroups = cgroups;
        this.networking = networking;
        this.volumes = volumes;
    }

    public EngineConfig config() { return config; }

    /** The caller's stdio and environment, which the helper gets. */
    public ChildStdio stdio() { return stdio; }

    /** --userns=auto: hutch's subordinate range and the containers' leases (made on first use). */
    public dev.hutch.userns.UserNamespaces userNamespaces() {
        dev.hutch.userns.UserNamespaces u = userNamespaces;
        if (u == null) {
            u = new dev.hutch.userns.UserNamespaces(dev.hutch.userns.SubIdFile.host(), config.libRoot().resolve("userns"),
                    id -> java.nio.file.Files.isDirectory(config.containerStateDir(id)));
            userNamespaces = u;
        }
        return u;
    }

    /**
     * The hutch command line (program and leading arguments, roots included) that a container's
     * monitor runs with {@code rm --force --volumes ID} when a detached {@code --rm} container
     * ends: podman's exit-command model, so no hutch process has to stay and wait. A way in that
     * has a command line (the CLI) sets it; without one, only foreground {@code --rm} removes.
     */
    public Engine exitCommand(Supplier<List<String>> argv) {
        exitCommand = argv;
        return this;
    }

    List<String> exitCommand() { return exitCommand.get(); }

    private volatile java.util.Set<String> quietStreams = java.util.Set.of();
    private volatile boolean ownSession;

    /**
     * For the next foreground runs of this engine (docker run -a, --sig-proxy=false): the streams
     * that are not attached to the caller (they still go to the log), and whether the monitor
     * leaves the caller's session so that a Ctrl-C on the caller's terminal does not reach it.
     */
    public Engine foreground(java.util.Set<String> notAttached, boolean ownSession) {
        this.quietStreams = java.util.Set.copyOf(notAttached);
        this.ownSession = ownSession;
        return this;
    }

    java.util.Set<String> quietStreams() { return quietStreams; }

    boolean ownSession() { return ownSession; }

    public StateStore states() { return states; }

    public LocalImageStore images() { return images; }

    public CgroupManager cgroups() { return cgroups; }

    /** Run-time wiring and the network verbs (create, ls, connect...): the host's networking. */
    public HostNetworking networking() { return networking.get(); }

    /** Named volumes: create, ls, inspect, rm, prune. */
    public VolumeStore volumes() { return volumes.store(); }

    public LayerDriver layers() { return layers; }

    Path helper() {
        Path h = helper;
        if (h == null) helper = h = HelperBinary.locate(config.libRoot(), config.env());
        return h;
    }

    /** The image for a reference, made by the built-in source (busybox) when it is not there yet. */
    public Image image(String reference) {
        Image found = images.find(reference);
        if (found != null) return found;
        if (builtins != null) {
            Image made = builtins.provide(reference, images);
            if (made != null) return made;
        }
        throw new NotFoundException("Unable to find image '" + reference + "' (see `hutch images`; busybox is built in)");
    }

    // ---- run -----------------------------------------------------------------------------------

    /**
     * Creates and starts a container. On any failure every step already done is undone and the
     * error says what went wrong: a failed run leaves nothing on the host.
     *
     * @param detach true: the monitor runs on its own and logs; false: it streams the container's
     *               output to this process's stdout/stderr until the container exits
     */
    public Started run(ContainerSpec spec, boolean detach) {
        return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes).run(spec, detach);
    }

    /**
     * Starts a detached container under an id chosen before (the Docker API's create answers with
     * the id its start then uses). The id must be a new one from {@link dev.hutch.runtime.NameGenerator#newId()}.
     */
    public Started runDetached(ContainerSpec spec, String id) {
        if (id == null || !id.matches("[0-9a-f]{64}") || java.nio.file.Files.exists(states.dir(id)))
            throw new HutchException("container id \"" + id + "\" is not a new 64-hex id");
        return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes).run(spec, true, id);
    }

    /**
     * Starts a container in the foreground under an id chosen before, its stdio this engine's
     * {@link ChildStdio} (the Docker API's pipes or pty for an attached start); wait with
     * {@link #waitForExit(Started)}.
     */
    public Started runAttached(ContainerSpec spec, String id) {
        if (id == null || !id.matches("[0-9a-f]{64}") || java.nio.file.Files.exists(states.dir(id)))
            throw new HutchException("container id \"" + id + "\" is not a new 64-hex id");
        return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes).run(spec, false, id);
    }

    /**
     * docker create: checks the spec as run does, then records the container as "created" (its
     * record, name and data dir); {@link #start} runs it.
     */
    public ContainerState create(ContainerSpec spec) {
        return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes).create(spec);
    }

    /**
     * docker start: runs a created or stopped container again, keeping its id, name, writable
     * layer and log. Null when it runs already (docker's start of a running container does
     * nothing). A container whose run was interrupted (dead) is started too: what that run left
     * is undone first. With {@code detach} false, wait with {@link #waitForExit(Started)}.
     */
    public Started start(String ref, boolean detach) {
        ContainerState s = states.get(states.resolve(ref));
        if (withLiveStatus(s).status() == ContainerStatus.PAUSED)
            throw new HutchException("cannot start a paused container " + s.name() + ", try unpause instead");
        if (s.isRunning()) return null;
        if (s.isDamaged())
            throw new HutchException("cannot start container " + s.id() + ": it has a " + s.error() + " (remove it with `hutch rm -f " + s.id() + "`)");
        if (s.status() == dev.hutch.state.ContainerStatus.CREATED && s.runnerPid() > 0)
            throw new HutchException("cannot start container " + s.name() + ": it is being started by hutch process " + s.runnerPid()
                    + " (wait for it)");
        return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes).start(s, detach);
    }

    /** docker restart: stop (SIGTERM, SIGKILL after {@code timeout}) if it runs, then start detached. */
    public Started restart(String ref, Duration timeout) {
        String id = states.resolve(ref);
        lifecycle().stop(id, timeout, null); // the container's own stop signal (--stop-signal, the image's)
        return start(id, true);
    }

    /** Waits for a foreground run to end; removes it if it was started with {@code --rm}. */
    public int waitForExit(Started started) {
        try {
            started.monitor().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while waiting for the container", e);
        }
        dev.hutch.util.Trace.mark(config.env(), "monitor exited");
        int code = lifecycle().awaitFinalState(started.id(), started.state().spec().autoRemove());
        dev.hutch.util.Trace.mark(config.env(), "final state" + (started.state().spec().autoRemove() ? " and removed" : ""));
        return code;
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    ContainerLifecycle lifecycle() { return new ContainerLifecycle(this, states, cgroups, networking::get, volumes, layers); }

    public String resolve(String ref) { return states.resolve(ref); }

    public ContainerState inspect(String ref) {
        ContainerState s = states.get(states.resolve(ref));
        return withLiveStatus(s);
    }

    /** Every container (or only running ones), newest first. */
    public List<ContainerState> list(boolean all) {
        return states.all().stream()
                .map(this::withLiveStatus)
                .filter(s -> all || s.isRunning())
                .sorted(Comparator.comparing(ContainerState::created, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    /** docker stop: SIGTERM, then SIGKILL after the timeout. @return the container's id */
    public String stop(String ref, Duration timeout) { return lifecycle().stop(states.resolve(ref), timeout, null); }

    /** As {@link #stop(String, Duration)}; null timeout or signal: the container's own (--stop-timeout, --stop-signal). */
    public String stop(String ref, Duration timeout, String signal) { return lifecycle().stop(states.resolve(ref), timeout, signal); }

    public String kill(String ref, String signal) { return lifecycle().kill(states.resolve(ref), signal); }

    /** docker rm; with force a running container is killed first; with volumes its anonymous volumes go too. */
    public String remove(String ref, boolean force, boolean removeVolumes) {
        return lifecycle().remove(states.resolve(ref), force, removeVolumes);
    }

    /** docker wait: blocks until the container exits; returns its exit code. */
    public int waitFor(String ref) { return lifecycle().waitFor(states.resolve(ref)); }

    public ExitRecord exitRecord(String ref) { return states.exitRecord(states.resolve(ref)); }

    public LogReader logs(String ref) {
        ContainerState s = states.read(states.resolve(ref));
        if (s.logPath() == null)
            throw new HutchException("container " + s.id() + " has no log" + (s.isDamaged() ? " (" + s.error() + ")" : ""));
        return new LogReader(Path.of(s.logPath()));
    }

    public boolean isRunning(String ref) { return inspect(ref).isRunning(); }

    // ---- exec ----------------------------------------------------------------------------------

    /** docker exec in the foreground: this process's stdio (a pty with tty); returns the command's exit code. */
    public int exec(String ref, ExecSpec spec) { return exec(ref, spec, helperProcess -> { }); }

    /** {@link #exec(String, ExecSpec)}, telling {@code started} the helper's process (to forward signals to). */
    public int exec(String ref, ExecSpec spec, java.util.function.Consumer<Process> started) {
        ContainerState s = runningOrFail(ref, "exec in");
        return new ExecLauncher(helper(), stdio).run(states.dir(s.id()), execFile(s, spec), started);
    }

    /** exec with stdout and stderr captured, for scripts and tests. */
    public ExecResult execCapture(String ref, ExecSpec spec) {
        ContainerState s = runningOrFail(ref, "exec in");
        return new ExecLauncher(helper(), stdio).capture(states.dir(s.id()), execFile(s, spec));
    }

    private LaunchFile execFile(ContainerState s, ExecSpec spec) {
        if (spec.command().isEmpty()) throw new HutchException("exec needs a command (try: hutch exec " + s.name() + " sh)");
        String launchText = AtomicFiles.readOrNull(states.dir(s.id()).resolve("launch"));
        if (launchText == null) throw new HutchException("container " + s.name() + " has no launch record; was it started by this hutch?");
        List<Path> procs = cgroups.open(s.id(), s.cgroupPaths()).procsFiles();
        // The container's own layer first: a user it added to /etc/passwd counts for exec -u.
        ImageCommitter.ContainerLayers layers = containerLayers(s);
        List<Path> layersTopFirst = new ArrayList<>();
        layersTopFirst.add(layers.upperDir());
        for (int i = layers.lowerDirsBottomFirst().size() - 1; i >= 0; i--) layersTopFirst.add(layers.lowerDirsBottomFirst().get(i));
        return ExecPlanner.plan(s.pid(), LaunchFile.parse(launchText), spec, procs, new UserResolver(layersTopFirst),
                s.spec().kernel().groupAdd());
    }

    private ContainerState runningOrFail(String ref, String verb) {
        ContainerState s = states.get(states.resolve(ref));
        if (!s.isRunning()) throw new HutchException("cannot " + verb + " container " + s.name() + ": it is not running");
        if (s.status() == ContainerStatus.RUNNING && withLiveStatus(s).status() == ContainerStatus.PAUSED)
            throw new HutchException("cannot " + verb + " container " + s.name() + ": it is paused (unpause it first)");
        return s;
    }

    // ---- images --------------------------------------------------------------------------------

    /**
     * docker commit: the container's changes as a new image on top of its image; returns its id.
     * A running container is frozen meanwhile (docker's default --pause), so the layer is taken
     * from a file system that does not change under the copy; it is thawed again whatever happens.
     */
    public String commit(String containerRef, ImageCommitter.CommitOptions options) {
        ContainerState s = inspect(containerRef);
        ImageCommitter.CommitOptions withHistory = options.createdBy() != null ? options
                : new ImageCommitter.CommitOptions(options.changes(), options.author(), options.message(),
                        String.join(" ", s.command()), options.tags());
        boolean freeze = s.status() == ContainerStatus.RUNNING; // one paused by the user stays paused
        if (freeze) pause(s.id());
        try {
            return new ImageCommitter(images).commit(s.imageId(), containerLayers(s), withHistory).id();
        } finally {
            if (freeze) unpause(s.id());
        }
    }

    /** docker export: the container's merged file system as one tar, read from its layer dirs. */
    public void export(String containerRef, OutputStream out) {
        new ImageCommitter(images).export(containerLayers(inspect(containerRef)), out);
    }

    /**
     * docker cp and the archive API: the container's files, running or stopped; close it when done
     * (a stopped container's overlay is mounted for the copy and unmounted then).
     */
    public dev.hutch.copy.ContainerFiles files(String containerRef) {
        ContainerState s = inspect(containerRef);
        return dev.hutch.copy.ContainerFiles.open(s, config.procRoot(), config.containerDataDir(s.id()));
    }

    /** Whether some container (running or not) was made from the image; rmi refuses those. */
    public boolean imageInUse(String imageId) {
        return states.all().stream().anyMatch(s -> imageId.equals(s.imageId()));
    }

    /** Whether some container (running or not) mounts the volume; volume rm refuses those. */
    public boolean volumeInUse(String name) {
        for (ContainerState s : states.all()) {
            List<Mount> mounts = s.spec().mounts();
            for (int i = 0; i < mounts.size(); i++) {
                Mount m = mounts.get(i);
                if (m.type() != Mount.Type.VOLUME) continue;
                String used = m.source().isEmpty() ? HostVolumes.anonymousName(s.id(), i) : m.source();
                if (used.equals(name)) return true;
            }
        }
        return false;
    }

    private static ImageCommitter.ContainerLayers containerLayers(ContainerState s) {
        RootfsRecord rootfs = s.rootfs();
        if (rootfs.isEmpty())
            throw new HutchException("container " + s.name() + " has no file system record (it never started); nothing to commit or export");
        return new ImageCommitter.ContainerLayers(rootfs.driver(), rootfs.upperDir(), rootfs.lowerDirs(), rootfs.idMapping());
    }

    // ---- networks ------------------------------------------------------------------------------

    /**
     * docker network connect: a new interface in the running container at once. The record is read
     * and rewritten under the container's state lock, so two connects to one container cannot lose
     * each other's endpoint.
     */
    public ContainerState connect(String ref, NetworkAttachment attachment) {
        ContainerState s = runningOrFail(ref, "connect");
        return states.update(s.id(), cur -> cur.toBuilder()
                .network(networking().connect(cur.id(), cur.pid(), attachment, cur.network())).build());
    }

    /** docker network disconnect: removes the container's interface on that network and its address. */
    public ContainerState disconnect(String ref, String network) {
        String id = states.resolve(ref);
        return states.update(id, cur -> cur.toBuilder()
                .network(networking().disconnect(cur.id(), network, cur.network())).build());
    }

    // ---- resources -----------------------------------------------------------------------------

    public ContainerCgroup cgroup(String ref) {
        ContainerState s = states.read(states.resolve(ref));
        return cgroups.open(s.id(), s.cgroupPaths());
    }

    public CgroupStats stats(String ref) { return cgroup(ref).stats(); }

    /** docker update: applies the new limits to the running container and records them. */
    public ContainerState update(String ref, Resources changes) {
        return lifecycle().update(states.resolve(ref), changes);
    }

    public void pause(String ref) { lifecycle().pause(states.resolve(ref)); }

    public void unpause(String ref) { lifecycle().unpause(states.resolve(ref)); }

    /** Paused is not in the stored status (the freezer is the truth); read it live for running ones. */
    private ContainerState withLiveStatus(ContainerState s) {
        if (s.status() != ContainerStatus.RUNNING || s.cgroupPaths().isEmpty()) return s;
        try {
            if (cgroups.open(s.id(), s.cgroupPaths()).frozen())
                return s.toBuilder().status(ContainerStatus.PAUSED).build();
        } catch (RuntimeException ignored) {
            // no freezer: cannot be paused
        }
        return s;
    }

    boolean alive(ContainerState s) { return ProcStat.isAlive(config.procRoot(), s.pid(), s.pidStartTime()); }
}
