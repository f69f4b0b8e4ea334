package dev.hutch.engine;

import dev.hutch.runtime.ExecResult;
import dev.hutch.spec.ExecSpec;
import dev.hutch.config.EngineConfig;
import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cgroup.CgroupManager;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.events.Event;
import dev.hutch.events.EventJournal;
import dev.hutch.image.Image;
import dev.hutch.image.ImageCommitter;
import dev.hutch.image.ImageSource;
import dev.hutch.image.LocalImageStore;
import dev.hutch.layer.LayerDriver;
import dev.hutch.layer.RootfsRecord;
import dev.hutch.net.NetworkRecord;
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
    private volatile EventJournal events;

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

    /** The hidden CLI verb a monitor runs (after the exit command's program) for a container with a restart policy. */
    public static final String AFTER_EXIT_VERB = "container-exited";

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

    private volatile byte[] detachKeys;

    /**
     * For the next foreground runs and starts of this engine (docker run -it, start -ai): the key
     * sequence that, typed on the caller's terminal, detaches the caller and leaves the container
     * running; null for none. It acts only with a tty and the caller's stdin attached (as docker).
     * {@link #waitForExit} then returns 0 once the caller detached.
     */
    public Engine detachKeys(byte[] keys) {
        this.detachKeys = keys == null ? null : keys.clone();
        return this;
    }

    byte[] detachKeys() { return detachKeys; }

    boolean ownSession() { return ownSession; }

    public StateStore states() { return states; }

    /** The event journal on the run root: every verb here records what it did (docker's events). */
    public EventJournal events() {
        EventJournal e = events;
        if (e == null) events = e = EventJournal.under(config.runRoot(), config.env().vars());
        return e;
    }

    /**
     * Records a container event with docker's attributes (name, image, labels) plus {@code extra}:
     * the verbs' own, and those no engine verb makes, which their callers record: {@code attach}
     * (a client attached: {@code hutch attach}, the API's attach) and {@code resize} (the API's,
     * with {@code height} and {@code width}).
     */
    public void containerEvent(String action, ContainerState s, java.util.Map<String, String> extra) {
        events().record(Event.CONTAINER, action, s.id(), ContainerEvents.attributes(s, extra));
    }

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
    public Started run(ContainerSpec spec, boolean detach) { // its events: create, start (ContainerRunner), die (the monitor)
        return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes).run(spec, detach);
    }


    /** docker's order: a volume's mount event for each volume, then the container's start. */
    void startEvents(ContainerState s) {
        List<Mount> mounts = s.spec().mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if (m.type() != Mount.Type.VOLUME) continue;
            String name = m.source().isEmpty() ? HostVolumes.anonymousName(s.id(), i) : m.source();
            events().record(Event.VOLUME, "mount", name, java.util.Map.of("container", s.id(), "destination", m.target(),
                    "driver", "local", "read/write", Boolean.toString(!m.readOnly())));
        }
        containerEvent("start", s, java.util.Map.of());
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
        try {
            return startOnce(ref, detach);
        } catch (StartInProgress e) {
            // Two starts at once (two API clients, two shells): the loser waits for the winner's
            // start to end, then looks again: running (null, as for any running container), or
            // the winner failed and this start tries itself.
            awaitNoRunner(e.id, Duration.ofSeconds(60));
            return startOnce(ref, detach);
        }
    }

    /** Until no live process is starting the container (the record left "created", or its runner is gone), or the time is up. */
    private void awaitNoRunner(String id, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            ContainerState cur;
            try {
                cur = states.get(id);
            } catch (dev.hutch.NotFoundException gone) {
                return; // removed meanwhile: the next look says so
            }
            // a start under way is a "created" record with a live runner (a dead one is refreshed as dead by get)
            if (cur.status() != ContainerStatus.CREATED || cur.runnerPid() == 0 || cur.isDamaged()) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException i) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Started startOnce(String ref, boolean detach) {
        ContainerState s = states.get(states.resolve(ref));
        if (withLiveStatus(s).status() == ContainerStatus.PAUSED)
            throw new HutchException("cannot start a paused container " + s.name() + ", try unpause instead");
        if (s.isRunning()) return null;
        if (s.isDamaged())
            throw new HutchException("cannot start container " + s.id() + ": it has a " + s.error() + " (remove it with `hutch rm -f " + s.id() + "`)");
        if (s.status() == dev.hutch.state.ContainerStatus.CREATED && s.runnerPid() > 0)
            throw new StartInProgress(s.id(), "cannot start container " + s.name() + ": it is being started by hutch process " + s.runnerPid()
                    + " (wait for it)");
        if (s.status() == ContainerStatus.RESTARTING || s.restart().manuallyStopped() || s.restart().count() > 0) {
            // The user's start: a restart under way is called off first, and the policy counts anew.
            lifecycle().cancelRestart(s.id());
            s = states.update(s.id(), cur -> cur.toBuilder().restart(dev.hutch.state.RestartRecord.EMPTY).build());
            s = states.get(s.id());
        }
        return runner().start(s, detach, false);
    }

    ContainerRunner runner() { return new ContainerRunner(this, states, layers, cgroups, networking::get, volumes); }

    /**
     * What a container's monitor runs (as its exit command) when the container's process ended
     * and it has a restart policy: decide by the policy, wait the backoff, start it again.
     * @return true when the container was started again
     */
    public boolean afterExit(String ref) {
        String id;
        try {
            id = states.resolve(ref);
        } catch (dev.hutch.NotFoundException e) {
            return false;
        }
        return new Restarts(this, states).afterExit(id);
    }

    /** docker restart: stop (SIGTERM, SIGKILL after {@code timeout}) if it runs, then start detached. */
    public Started restart(String ref, Duration timeout) {
        String id = states.resolve(ref);
        stop(id, timeout, null); // the container's own stop signal (--stop-signal, the image's); its stop event
        Started started = start(id, true);
        if (started != null) containerEvent("restart", started.state(), java.util.Map.of());
        return started;
    }

    /**
     * Waits for a foreground run to end; removes it if it was started with {@code --rm}. Returns
     * 0 at once when the caller typed the detach keys: the container runs on, detached, and its
     * monitor (which restored the caller's terminal) removes a {@code --rm} one when it ends.
     */
    public int waitForExit(Started started) {
        try {
            if (started.detachNotice() != null && started.detachNotice().awaitDetachOrExit(started.monitor())) {
                dev.hutch.util.Trace.mark(config.env(), "caller detached");
                return 0;
            }
            started.monitor().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while waiting for the container", e);
        }
        dev.hutch.util.Trace.mark(config.env(), "monitor exited");
        int code = lifecycle().awaitFinalState(started.id(), started.state().spec().autoRemove());
        if (started.state().spec().autoRemove()) containerEvent("destroy", started.state(), java.util.Map.of());
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
                .filter(s -> all || s.isRunning() || s.status() == ContainerStatus.RESTARTING)
                .sorted(Comparator.comparing(ContainerState::created, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    /** docker stop: SIGTERM, then SIGKILL after the timeout. @return the container's id */
    public String stop(String ref, Duration timeout) { return stop(ref, timeout, null); }

    /** As {@link #stop(String, Duration)}; null timeout or signal: the container's own (--stop-timeout, --stop-signal). */
    public String stop(String ref, Duration timeout, String signal) {
        String id = states.resolve(ref);
        ContainerState before = states.get(id);
        String stopped = lifecycle().stop(id, timeout, signal);
        if (before.isRunning()) containerEvent("stop", before, java.util.Map.of());
        return stopped;
    }

    /** docker kill; its event goes first (the monitor's die follows it, as in docker's stream). */
    public String kill(String ref, String signal) {
        String id = states.resolve(ref);
        ContainerState before = states.get(id);
        if (before.isRunning())
            containerEvent("kill", before, java.util.Map.of("signal", Integer.toString(dev.hutch.runtime.Signals.parse(signal))));
        return lifecycle().kill(id, signal);
    }

    /** docker rm; with force a running container is killed first; with volumes its anonymous volumes go too. */
    public String remove(String ref, boolean force, boolean removeVolumes) {
        String id = states.resolve(ref);
        ContainerState before = states.get(id);
        String removed = lifecycle().remove(id, force, removeVolumes);
        containerEvent("destroy", before, java.util.Map.of());
        return removed;
    }

    /**
     * {@code update --restart}: the new policy is recorded and takes effect at the container's
     * next exit (the monitor's exit command runs while the policy's mark file exists).
     */
    public ContainerState updateRestart(String ref, dev.hutch.spec.RestartPolicy policy) {
        String id = states.resolve(ref);
        ContainerState next = states.update(id, cur -> {
            dev.hutch.spec.SpecValidator.checkRestartAndHealth(cur.spec().toBuilder().restart(policy).build());
            return cur.toBuilder().spec(cur.spec().toBuilder().restart(policy).build()).build();
        });
        Restarts.mark(states.dir(id), policy);
        return next;
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

    /**
     * docker's resize of a running -t container that nobody relays (detached): its terminal gets
     * the size, and its command a SIGWINCH ({@link ContainerTerminal}).
     */
    public void resizeTerminal(String ref, int rows, int columns) {
        ContainerTerminal.resize(config.procRoot(), runningOrFail(ref, "resize"), rows, columns);
    }

    // ---- exec ----------------------------------------------------------------------------------

    /** docker exec in the foreground: this process's stdio (a pty with tty); returns the command's exit code. */
    public int exec(String ref, ExecSpec spec) { return exec(ref, spec, helperProcess -> { }); }

    /** {@link #exec(String, ExecSpec)}, telling {@code started} the helper's process (to forward signals to). */
    public int exec(String ref, ExecSpec spec, java.util.function.Consumer<Process> started) {
        ContainerState s = runningOrFail(ref, "exec in");
        LaunchFile file = execFile(s, spec);
        execEvent("exec_create", s, spec, null);
        execEvent("exec_start", s, spec, null);
        int code = new ExecLauncher(helper(), stdio).run(states.dir(s.id()), file, started);
        execEvent("exec_die", s, spec, code);
        return code;
    }

    /** exec with stdout and stderr captured, for scripts and tests. */
    public ExecResult execCapture(String ref, ExecSpec spec) {
        ContainerState s = runningOrFail(ref, "exec in");
        LaunchFile file = execFile(s, spec);
        execEvent("exec_create", s, spec, null);
        execEvent("exec_start", s, spec, null);
        ExecResult r = new ExecLauncher(helper(), stdio).capture(states.dir(s.id()), file);
        execEvent("exec_die", s, spec, r.exitCode());
        return r;
    }

    /** docker's exec events: "exec_create: CMD ARGS", "exec_start: CMD ARGS", and exec_die with its exitCode. */
    private void execEvent(String action, ContainerState s, ExecSpec spec, Integer exitCode) {
        String command = String.join(" ", spec.command());
        java.util.Map<String, String> extra = new java.util.HashMap<>();
        if (exitCode != null) extra.put("exitCode", exitCode.toString());
        else extra.put("execCommand", command);
        containerEvent(exitCode != null ? action : action + ": " + command, s, extra);
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
            String imageId = new ImageCommitter(images).commit(s.imageId(), containerLayers(s), withHistory).id();
            java.util.Map<String, String> extra = new java.util.HashMap<>();
            extra.put("imageID", imageId);
            if (!options.tags().isEmpty()) extra.put("imageRef", options.tags().get(0));
            if (options.message() != null) extra.put("comment", options.message());
            if (options.author() != null) extra.put("author", options.author());
            containerEvent("commit", s, extra);
            return imageId;
        } finally {
            if (freeze) unpause(s.id());
        }
    }

    /** docker tag: another name for the image; its "tag" event names the new reference. */
    public void tag(String source, String target) {
        images.tag(source, target);
        imageEvent("tag", images.resolve(target).id(), dev.hutch.image.ImageReference.normalize(target));
    }

    /**
     * docker rmi: untags, and deletes the image once nothing refers to it; the events say which
     * ("untag" per removed name, "delete" for the image).
     */
    public dev.hutch.image.RemovalReport removeImage(String ref, boolean force) {
        String id = images.findId(ref);
        dev.hutch.image.RemovalReport report = images.remove(ref, force, this::imageInUse);
        for (String name : report.untagged()) imageEvent("untag", id, name);
        if (id != null && report.deleted().contains(id)) imageEvent("delete", id, id);
        return report;
    }

    /** An image event (pull, push, load, save, import, tag...), {@code name} its reference as docker's attribute. */
    public void imageEvent(String action, String id, String name) {
        events().record(Event.IMAGE, action, id, name == null ? java.util.Map.of() : java.util.Map.of("name", name));
    }

    /** docker export: the container's merged file system as one tar, read from its layer dirs. */
    public void export(String containerRef, OutputStream out) {
        new ImageCommitter(images).export(containerLayers(inspect(containerRef)), out);
    }

    /** docker diff: the container's changes to its image, from its writable layer. */
    public List<dev.hutch.layer.LayerChanges.Change> changes(String ref) {
        RootfsRecord rootfs = inspect(ref).rootfs();
        if (rootfs.isEmpty()) return List.of(); // never started: no writable layer, no change
        return new dev.hutch.layer.LayerChanges(rootfs.driver(), rootfs.upperDir(), rootfs.lowerDirs(),
                ImageCommitter.RUNTIME_MOUNT_POINTS).list();
    }

    /**
     * docker cp and the archive API: the container's files, running or stopped; close it when done
     * (a stopped container's overlay is mounted for the copy and unmounted then).
     */
    public dev.hutch.copy.ContainerFiles files(String containerRef) {
        ContainerState s = inspect(containerRef);
        if (s.status() == ContainerStatus.CREATED && s.rootfs().isEmpty()) s = runner().prepareWritableLayer(s); // created, never started
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

    // ---- names ---------------------------------------------------------------------------------

    /**
     * docker rename. The new name is reserved first (the same O_EXCL-like link that makes two
     * {@code run --name} safe), then the record and the container's leases take it, then the old
     * name is given up. A failure before the record changed gives the new name back; a crash in
     * between leaves both names pointing at the container, and {@code rm} frees the one it
     * records, the other being a stale name file that the next reservation takes over.
     * Errors are docker's, with its exit code 1.
     */
    public ContainerState rename(String ref, String newName) {
        String id = states.resolve(ref);
        ContainerState s = states.get(id);
        String wanted = newName.startsWith("/") ? newName.substring(1) : newName;
        if (wanted.equals(s.name()))
            throw new HutchException(1, "Renaming a container with the same name as its current name", null);
        if (!dev.hutch.spec.SpecValidator.NAME.matcher(wanted).matches())
            throw new HutchException(1, "Invalid container name (" + newName + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", null);
        try {
            states.reserveName(wanted, id);
        } catch (dev.hutch.state.StateStore.NameInUse e) {
            throw new HutchException(1, "Conflict. The container name \"/" + wanted + "\" is already in use by container \"" + e.holder()
                    + "\". You have to remove (or rename) that container to be able to reuse that name.", null);
        }
        ContainerState renamed;
        try {
            renamed = states.update(id, cur -> {
                NetworkRecord net = cur.network().isEmpty() ? cur.network()
                        : networking().rename(id, wanted, cur.network(), cur.isRunning());
                return cur.toBuilder().name(wanted).spec(cur.spec().toBuilder().name(wanted).build()).network(net).build();
            });
        } catch (RuntimeException e) {
            states.releaseName(wanted, id);
            throw e;
        }
        states.releaseName(s.name(), id);
        containerEvent("rename", renamed, java.util.Map.of("oldName", s.name())); // docker's attribute name
        return renamed;
    }

    // ---- networks ------------------------------------------------------------------------------

    /**
     * docker network connect: a new interface in the running container at once. The record is read
     * and rewritten under the container's state lock, so two connects to one container cannot lose
     * each other's endpoint.
     */
    public ContainerState connect(String ref, NetworkAttachment attachment) {
        ContainerState s = states.get(states.resolve(ref));
        if (!s.isRunning()) {
            // created or stopped: recorded in its spec (checked as a run's networks are), wired at its next start
            ContainerState after = states.update(s.id(), cur -> {
                if (cur.isRunning() || beingStarted(cur)) throw beingStarted(cur, "connect");
                ContainerSpec spec = RecordedNetworks.connect(cur.spec(), cur.name(), attachment, this::networkName);
                networking().check(spec.withPorts(List.of())); // its host ports are checked at its start, as before
                return cur.toBuilder().spec(spec).build();
            });
            NetworkEvents.record(this, "connect", networkName(attachment.network()), s.id());
            return after;
        }
        s = runningOrFail(ref, "connect");
        // Recorded in its spec too, so a restart wires it again, as dockerd keeps it in the
        // container's settings (the host's wiring decides what is refused: a spec that already
        // lists the network, say, is one the container ran with).
        ContainerState after = states.update(s.id(), cur -> cur.toBuilder()
                .network(networking().connect(cur.id(), cur.pid(), attachment, cur.network()))
                .spec(recordedOrAsIs(() -> RecordedNetworks.connect(cur.spec(), cur.name(), attachment, this::networkName), cur.spec()))
                .build());
        NetworkEvents.record(this, "connect", attachment.network(), s.id());
        return after;
    }

    /**
     * docker network disconnect: removes the container's interface on that network and its address;
     * of a created or stopped container, the endpoint its next start would have made.
     */
    public ContainerState disconnect(String ref, String network) {
        String id = states.resolve(ref);
        ContainerState after = states.update(id, cur -> {
            if (cur.isRunning()) // and out of its spec, so a restart does not wire it again
                return cur.toBuilder().network(networking().disconnect(cur.id(), network, cur.network()))
                        .spec(recordedOrAsIs(() -> RecordedNetworks.disconnect(cur.spec(), cur.name(), network, this::networkName), cur.spec()))
                        .build();
            if (beingStarted(cur)) throw beingStarted(cur, "disconnect");
            return cur.toBuilder().spec(RecordedNetworks.disconnect(cur.spec(), cur.name(), network, this::networkName)).build();
        });
        NetworkEvents.record(this, "disconnect", network, id);
        return after;
    }

    /** The spec with a running container's connect or disconnect recorded, or as it was when the spec cannot say it (the wiring already did). */
    private static ContainerSpec recordedOrAsIs(java.util.function.Supplier<ContainerSpec> recorded, ContainerSpec asIs) {
        try {
            return recorded.get();
        } catch (HutchException e) {
            return asIs;
        }
    }

    /** A network reference (name, id or id prefix; docker's "bridge") as the network's name. */
    private String networkName(String ref) {
        return networking().store().require(ref).name();
    }

    /** A "created" record with a live runner: a start (or run) is under way and will read the spec. */
    private boolean beingStarted(ContainerState s) {
        return s.status() == ContainerStatus.CREATED && s.runnerPid() > 0 && ProcStat.isAlive(config.procRoot(), s.runnerPid(), s.runnerStartTime());
    }

    private static HutchException beingStarted(ContainerState s, String verb) {
        return new HutchException("cannot " + verb + " container " + s.name() + ": it is being started right now (try again when it runs)");
    }

    /** docker's network create/destroy events (the network verbs live in {@link dev.hutch.net.Networks}; its callers record). */
    public void networkEvent(String action, String id, String name) { NetworkEvents.record(this, action, id, name, null); }

    /** docker's volume create/destroy events: the volume's name is its id; hutch's driver is local. */
    public void volumeEvent(String action, String name) {
        events().record(Event.VOLUME, action, name, java.util.Map.of("driver", "local"));
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

    public void pause(String ref) {
        String id = states.resolve(ref);
        lifecycle().pause(id);
        containerEvent("pause", states.get(id), java.util.Map.of());
    }

    public void unpause(String ref) {
        String id = states.resolve(ref);
        lifecycle().unpause(id);
        containerEvent("unpause", states.get(id), java.util.Map.of());
    }

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
