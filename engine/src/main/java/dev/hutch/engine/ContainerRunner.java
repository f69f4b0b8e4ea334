package dev.hutch.engine;

import dev.hutch.config.EngineConfig;
import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupManager;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.image.Image;
import dev.hutch.layer.HelperMount;
import dev.hutch.layer.LayerDriver;
import dev.hutch.layer.RootfsPlan;
import dev.hutch.layer.RootfsRecord;
import dev.hutch.net.ContainerNetworking;
import dev.hutch.net.NetworkPlan;
import dev.hutch.net.NetworkRecord;
import dev.hutch.runtime.ContainerLauncher;
import dev.hutch.runtime.LaunchFile;
import dev.hutch.runtime.LaunchPlanner;
import dev.hutch.runtime.NameGenerator;
import dev.hutch.runtime.ResolvedProcess;
import dev.hutch.runtime.Rlimits;
import dev.hutch.runtime.UserResolver;
import dev.hutch.security.SecurityPlan;
import dev.hutch.security.SecurityPlanner;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.SpecValidator;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.StateStore;
import dev.hutch.state.Step;
import dev.hutch.util.AtomicFiles;
import dev.hutch.util.HostInfo;
import dev.hutch.util.ProcStat;
import dev.hutch.util.StepHold;
import dev.hutch.util.Trace;
import dev.hutch.util.UndoStack;
import dev.hutch.userns.IdMapping;
import dev.hutch.userns.LayerCopies;
import dev.hutch.userns.UserNamespaces;
import dev.hutch.volume.VolumeMounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The run flow: validate, resolve, then small host-changing steps each with its undo, then the
 * helper. Order matters:
 * <ol>
 *   <li>validation, image/user/process resolution, then the host-aware checks (devices, bind
 *       sources, networks, addresses, host ports): a refused run changes nothing, not even a
 *       name; the steps after only reserve and build;</li>
 *   <li>the record (state dir) before anything else on the host, so a crash leaves a record that
 *       {@code ps -a} lists and {@code rm -f} cleans; then the name, so a name file always points
 *       at a record that exists (a name whose record is gone is stale and free again);</li>
 *   <li>each later step is journaled in the record before it is taken ({@link Step});</li>
 *   <li>rootfs dirs, cgroups, network reservation, /etc files, volumes;</li>
 *   <li>the helper: init's pid is recorded before the network is wired, so a crash mid-wiring
 *       still finds the pid; then {@code go}.</li>
 * </ol>
 */
final class ContainerRunner {
    /** The health check's exec file in the state dir (see health.c). */
    static final String HEALTH_EXEC = "health.exec";
    static final String PROXY6 = "proxy6";
    /** Written by a foreground run's monitor when its caller typed the detach keys (docs/helper-protocol.md). */
    static final String DETACHED = "detached";
    private final Engine engine;
    private final StateStore states;
    private final LayerDriver layers;
    private final CgroupManager cgroups;
    private final Supplier<ContainerNetworking> networking;
    private final VolumeMounts volumes;

    ContainerRunner(Engine engine, StateStore states, LayerDriver layers, CgroupManager cgroups,
                    Supplier<ContainerNetworking> networking, VolumeMounts volumes) {
        this.engine = engine;
        this.states = states;
        this.layers = layers;
        this.cgroups = cgroups;
        this.networking = networking;
        this.volumes = volumes;
    }

    Started run(ContainerSpec spec, boolean detach) { return run(spec, detach, null, null, false); }

    /**
     * {@code hutch create}: the run's checks and its first steps (record, name, data dir), then a
     * "created" record that no hutch process is making (runner 0), for {@link #start} to run.
     */
    ContainerState create(ContainerSpec spec) { return run(spec, true, null, null, true).state(); }

    /**
     * The writable layer of a created container that never ran, made ahead of its first start
     * (docker makes it at create): docker cp and the archive API put files into it before the
     * start (Testcontainers' copy-to-container), and the start then runs over it ({@link
     * LayerDriver#reopen}). Only a create costs nothing here: a start without a copy makes it
     * as before. The data dir holds it, so rm (and a crash at any moment) needs nothing more.
     */
    ContainerState prepareWritableLayer(ContainerState s) {
        if (s.status() != ContainerStatus.CREATED || s.runnerPid() != 0 || !s.rootfs().isEmpty()) return s;
        Image image = engine.image(s.imageId() != null ? s.imageId() : s.spec().image());
        RootfsRecord made = layers.prepare(engine.config().containerDataDir(s.id()), image.layerDirs()).record();
        // recorded only while it is still a created container no process starts (a start claims it under this lock)
        return states.update(s.id(), cur -> cur.status() == ContainerStatus.CREATED && cur.runnerPid() == 0 && cur.rootfs().isEmpty()
                ? cur.toBuilder().rootfs(made).build() : cur);
    }

    /**
     * Starts a created or stopped container again (docker's {@code start}): same id, name, spec,
     * data dir, writable layer and log (appended); the cgroup, network, /etc files, helper and
     * init are made anew by the same journaled steps as a first run.
     * <ol>
     *   <li>claim the record under its lock: "created" with this process as its runner, unless
     *       another process claimed it since it was read (two starts never both run it); its old
     *       journal kept, so a crash from here lists it dead and {@code rm -f} or a new start
     *       undoes everything the old run may have left;</li>
     *   <li>undo the old run's cgroup, network and leftover processes
     *       ({@link ContainerLifecycle#releaseRuntime});</li>
     *   <li>the journal cut to the steps whose work is kept, then the run's steps from the
     *       cgroup on; a failure undoes them and puts the record back to stopped.</li>
     * </ol>
     */
    Started start(ContainerState seen, boolean detach, boolean byPolicy) {
        String id = seen.id();
        Trace.mark(engine.config().env(), "start: record read");
        ProcStat self = ProcStat.read(engine.config().procRoot(), ProcessHandle.current().pid());
        ContainerState claimed = states.update(id, cur -> {
            // A restart by the policy goes on only while the record still says so: a stop, kill or
            // rm -f since (each sets "manually stopped" under this lock) calls it off.
            if (byPolicy && (cur.status() != ContainerStatus.RESTARTING || cur.restart().manuallyStopped()))
                throw new Restarts.Cancelled(cur.name());
            // (seen is the refreshed record: a dead one is stored as "created", so the status is not compared)
            if (cur.runnerPid() != seen.runnerPid() || cur.pid() != seen.pid() || !cur.steps().equals(seen.steps()))
                throw new StartInProgress(id, "cannot start container " + seen.name() + ": another hutch process is starting or"
                        + " changing it right now (try again when it is done)");
            return cur.toBuilder().status(ContainerStatus.CREATED).runner(ProcessHandle.current().pid(), self == null ? 0 : self.startTime()).build();
        });
        try {
            // The old exit file would say the new run ended: it goes once the record no longer says "exited".
            Files.deleteIfExists(states.dir(id).resolve(StateStore.EXIT));
            Files.deleteIfExists(states.dir(id).resolve(StateStore.MONITOR));
            Files.deleteIfExists(states.dir(id).resolve(StateStore.HEALTH)); // the new run's checks begin anew
            // as seen: a dead run's status asks for more undoing. A created container that never
            // began a run (no cgroup step journaled, no process) has nothing to undo: its start
            // (the Docker API's create + start) skips the network and cgroup look-ups.
            if (seen.began(Step.CGROUP) || seen.pid() > 0 || seen.monitorPid() > 0) engine.lifecycle().releaseRuntime(seen);
            Trace.mark(engine.config().env(), "start: claimed, the last run's leftovers released");
        } catch (IOException | RuntimeException e) {
            states.update(id, cur -> stopped(cur, seen).build());
            if (e instanceof RuntimeException re) throw re;
            throw new HutchException("cannot start container " + seen.name() + ": " + e.getMessage(), e);
        }
        try {
            // the spec as claimed: a network connect recorded before the claim is in it (one after is refused)
            return run(claimed.spec(), detach, id, claimed, false);
        } catch (RuntimeException e) {
            // Refused by a check before its first step (a host port taken since, the image gone):
            // stopped again, not left "being started" by a process about to end. Once the steps
            // began, their undo has done this already (the runner is 0 then).
            long me = ProcessHandle.current().pid();
            try {
                states.update(id, cur -> cur.status() == ContainerStatus.CREATED && cur.runnerPid() == me ? stopped(cur, seen).build() : cur);
            } catch (RuntimeException ignored) {
                // removed meanwhile (rm -f): nothing to put back
            }
            throw e;
        }
    }

    /** The record as a stopped container again: no processes, cgroup or network of its own. */
    private static ContainerState.Builder stopped(ContainerState cur, ContainerState seen) {
        boolean neverRan = seen.status() == ContainerStatus.CREATED && seen.started() == null;
        return cur.toBuilder().status(neverRan ? ContainerStatus.CREATED : ContainerStatus.EXITED).runner(0, 0)
                .exitCode(neverRan ? null : seen.exitCode() == null ? Integer.valueOf(-1) : seen.exitCode())
                .pid(0, 0).monitorPid(0, 0).network(dev.hutch.net.NetworkRecord.EMPTY).cgroupPaths(List.of())
                .steps(keptSteps(seen));
    }

    /** The journal steps whose work a new start keeps: the record, name, data dir (and writable layer), the id range. */
    private static List<String> keptSteps(ContainerState s) {
        List<String> kept = new ArrayList<>(List.of(Step.RECORD, Step.NAME, Step.DIRS));
        if (s.rootfs().idMapping() != null) kept.add(Step.USERNS);
        return kept;
    }

    /**
     * @param previous the claimed record of a container started again ({@link #start}), or null for a new one
     * @param createOnly stop after the data dir, leaving a "created" record ({@link #create})
     */
    private Started run(ContainerSpec spec, boolean detach, String givenId, ContainerState previous, boolean createOnly) {
        SpecValidator.validate(spec, HostInfo.cpus());
        // capabilities, seccomp filter, devices: decided (and bad input refused) before any host change
        SecurityPlan security = SecurityPlanner.forHost(spec.security(), engine.config().libRoot());
        if (spec.security().userns().isAuto()) UserNamespaces.checkSearchable(engine.config().containerDataDir("x").getParent());
        Trace.mark(engine.config().env(), "validated");
        if (spec.stop().signal() != null) checkStopSignal(spec.stop().signal());
        // a container started again runs the image it was made from, even if the name now means another
        Image image = engine.image(previous != null && previous.imageId() != null ? previous.imageId() : spec.image());
        // the image's STOPSIGNAL, recorded with the container so `stop` needs no image later
        if (spec.stop().signal() == null && image.config().stopSignal() != null)
            spec = spec.withStop(spec.stop().withSignal(image.config().stopSignal()));
        // -P: every port the image or --expose declares, on a free host port (before the network checks)
        List<dev.hutch.spec.PortMapping> alsoPublished = spec.exposure().publishedAlso(image.config().exposedPorts(), spec.ports());
        if (!alsoPublished.isEmpty()) {
            List<dev.hutch.spec.PortMapping> all = new ArrayList<>(spec.ports());
            all.addAll(alsoPublished);
            spec = spec.withPorts(all);
            SpecValidator.validate(spec, HostInfo.cpus()); // -P with --network none/host: refused as -p is
        }
        // --volumes-from: the other containers' mounts, resolved once when the container is made
        // and kept in its spec, so a later start mounts the same volumes even if those are gone
        if (previous == null && !spec.volumesFrom().isEmpty()) spec = withVolumesFrom(spec);
        // --ipc/--pid container:NAME: that container must run now (nothing on the host changed yet)
        SharedNamespaces shared = createOnly ? SharedNamespaces.NONE
                : SharedNamespaces.resolve(spec, states, engine.config().procRoot());
        String id = givenId != null ? givenId : NameGenerator.newId();
        String name = previous != null ? previous.name() : spec.name() != null ? spec.name() : NameGenerator.newName();
        String hostname = "host".equals(spec.namespaces().uts()) ? hostHostname()
                : previous != null && previous.hostname() != null ? previous.hostname()
                : spec.hostname() != null ? spec.hostname() : id.substring(0, 12);
        ResolvedProcess process = ResolvedProcess.resolve(spec.process(), image.config(), hostname);
        List<Path> layersTopFirst = new ArrayList<>(image.layerDirs());
        Collections.reverse(layersTopFirst);
        UserResolver users = new UserResolver(layersTopFirst);
        UserResolver.Ids ids = users.resolve(process.user()).withGroups(users.groups(spec.kernel().groupAdd()));
        Path helper = engine.helper();
        Trace.mark(engine.config().env(), "image and process resolved");
        cgroups.check(spec.resources());
        String cgroupParent = cgroups.containerParent(spec.resources().cgroupParent()); // refused outside hutch's own
        volumes.check(spec.mounts());
        ContainerNetworking net = networking.get();
        net.check(spec);
        String selfLimits = AtomicFiles.readOrNull(engine.config().procRoot().resolve("self/limits"));
        Rlimits.checkAgainstHost(spec.kernel(), selfLimits,
                Rlimits.hasSysResource(AtomicFiles.readOrNull(engine.config().procRoot().resolve("self/status"))));
        Trace.mark(engine.config().env(), "host checks");

        EngineConfig config = engine.config();
        Path stateDir = states.dir(id);
        Path dataDir = config.containerDataDir(id);
        Path logPath = dataDir.resolve(id + "-json.log");
        UndoStack undo = new UndoStack();
        boolean[] startRecorded = {false}; // then a failure is the container's die (the monitor writes none for it)
        ContainerState named = new ContainerState.Builder(id, name, spec).build(); // what its events tell, without a read of the record
        ProcStat self = ProcStat.read(config.procRoot(), ProcessHandle.current().pid());
        try {
          if (previous != null) {
            // Started again: the record exists, claimed by this process; its journal now lists
            // only what is kept, and a failure from here puts it back to stopped.
            states.update(id, s -> s.toBuilder().steps(keptSteps(previous)).cgroupPaths(List.of())
                    .network(dev.hutch.net.NetworkRecord.EMPTY).pid(0, 0).monitorPid(0, 0).exitCode(null).oomKilled(false)
                    .error(null).build());
            undo.push("record", () -> states.update(id, s -> stopped(s, previous).build()));
          } else {
            // The record first, in one step (a directory rename), with the journal's first entry:
            // from here every later step is listed in it before it is taken, so whichever process
            // dies, `ps -a` shows the container and `rm -f` knows what to undo.
            ContainerState initial = new ContainerState.Builder(id, name, spec).imageId(image.id())
                    .command(process.argv()).hostname(hostname).logPath(logPath.toString())
                    .runner(ProcessHandle.current().pid(), self == null ? 0 : self.startTime()).step(Step.RECORD).build();
            states.create(initial);
            undo.push("state dir", () -> states.delete(id));
            engine.containerEvent("create", initial, java.util.Map.of());
            undo.push("destroy event", () -> engine.containerEvent("destroy", initial, java.util.Map.of())); // a failed run leaves nothing
            StepHold.at(engine.config().env(), Step.RECORD);
            journal(id, Step.NAME);
            states.reserveName(name, id);
            undo.push("name " + name, () -> states.releaseName(name, id));

            journal(id, Step.DIRS);
            createDir(dataDir);
            undo.push("data dir", () -> deleteDir(dataDir));
            Trace.mark(engine.config().env(), "state and data dirs");
            if (createOnly) {
                undo.commit();
                return new Started(states.update(id, s -> s.toBuilder().runner(0, 0).build()), null);
            }
          }
            // A container started again keeps its range: its writable layer belongs to it.
            IdMapping idMap = previous == null ? null : previous.rootfs().idMapping();
            boolean newRange = idMap == null && spec.security().userns().isAuto();
            if (newRange) {
                if (!"overlay".equals(layers.name()) && !"copy".equals(layers.name()))
                    throw new HutchException("--userns=auto needs the overlay or copy layer driver (this engine uses " + layers.name() + ")");
                // Journaled before the lease is taken: rm frees it by id even if we die right here.
                journal(id, Step.USERNS);
                UserNamespaces userns = engine.userNamespaces();
                undo.push("userns range", new ReleaseRange(userns, id));
                idMap = userns.allocate(id, spec.security().userns().size());
                Trace.mark(engine.config().env(), "userns range");
            }
            // Without idmapped mounts the layers are chown-copies, cached per range next to each layer.
            boolean layerCopies = idMap != null && "overlay".equals(layers.name()) && LayerCopies.needed(config.layersDir(),
                    AtomicFiles.readOrNull(config.procRoot().resolve("sys/kernel/osrelease")), config.env());
            List<Path> lowers = layerCopies ? LayerCopies.forRange(image.layerDirs(), idMap) : image.layerDirs();
            RootfsPlan rootfs;
            if (previous != null && !previous.rootfs().isEmpty()) {
                rootfs = layers.reopen(dataDir, lowers); // what the last run (or a copy before the first) wrote stays; never undone here
            } else if (previous != null) {
                rootfs = layers.prepare(dataDir, lowers); // created, never started: the data dir (and rm) holds it
            } else {
                rootfs = layers.prepare(dataDir, lowers);
                undo.push("rootfs", () -> layers.remove(dataDir));
            }
            if (newRange) {
                // The container's own layer belongs to its root; the image's layers stay the host's
                // and are idmapped by the helper (no copy).
                if ("copy".equals(rootfs.driver())) {
                    // the copy driver's rootfs is this container's own full copy: move all of it into the range
                    try {
                        dev.hutch.userns.OwnerShift.intoRange(rootfs.upperDir(), idMap);
                    } catch (IOException e) {
                        throw new HutchException("cannot give " + rootfs.upperDir() + " to the container's ids: " + e.getMessage(), e);
                    }
                } else if (previous != null) {
                    // a created container's upper dir may hold what docker cp put there before this first start
                    try {
                        dev.hutch.userns.OwnerShift.intoRange(rootfs.upperDir(), idMap);
                    } catch (IOException e) {
                        throw new HutchException("cannot give " + rootfs.upperDir() + " to the container's ids: " + e.getMessage(), e);
                    }
                    UserNamespaces.chownToRoot(rootfs.workDir(), idMap);
                } else {
                    UserNamespaces.chownToRoot(rootfs.upperDir(), idMap);
                    UserNamespaces.chownToRoot(rootfs.workDir(), idMap);
                }
                // recorded with the rootfs at the cgroup step; rm frees the lease by id meanwhile
            }
            Trace.mark(engine.config().env(), "rootfs prepared");

            journal(id, Step.CGROUP);
            ContainerCgroup cgroup = cgroups.create(id, spec.resources(), security.deviceRules(), cgroupParent);
            undo.push("cgroup", cgroup::destroy);
            IdMapping mapping = idMap; // effectively final, for the lambdas below
            RootfsRecord rootfsRecord = rootfs.record().withIdMapping(mapping);
            // What the cgroup step made, and the network step's journal entry, in one write (each
            // state write is a file created and renamed: a fraction of a millisecond, ten per run).
            states.update(id, s -> s.toBuilder().rootfs(rootfsRecord)
                    .cgroupPaths(cgroup.paths().stream().map(Path::toString).toList()).step(Step.NETWORK).build());
            StepHold.at(engine.config().env(), Step.NETWORK);
            Trace.mark(engine.config().env(), "cgroups created");

            NetworkPlan netPlan = net.prepare(id, name, hostname, spec);
            if (netPlan.needsWiring()) {
                Thread warm = new Thread(net::warmUp, "hutch-net-warmup");
                warm.setDaemon(true);
                warm.start();
            }
            undo.push("network", () -> net.release(id, netPlan.record()));
            // The plan is recorded with the HELPER step's entry below (one write fewer): until then
            // rm -f releases what prepare leased by id, as the NETWORK step's entry says.
            Trace.mark(engine.config().env(), "network planned");

            writeEtcFile(dataDir.resolve("hostname"), hostname + "\n");
            writeEtcFile(dataDir.resolve("hosts"), EtcFiles.hosts(netPlan, spec.names()));
            writeEtcFile(dataDir.resolve("resolv.conf"), EtcFiles.resolvConf(netPlan, spec.names()));
            if (idMap != null) {
                // root inside may edit them, as without a user namespace
                for (String f : List.of("hostname", "hosts", "resolv.conf")) UserNamespaces.chownToRoot(dataDir.resolve(f), idMap);
            }
            List<HelperMount> volumeMounts = volumes.plan(id, spec.mounts(), layersTopFirst, idMap);
            if (shared.hostShm()) { // --ipc container:NAME of a host-IPC container: the host's /dev/shm, before the volumes
                volumeMounts = new ArrayList<>(volumeMounts);
                volumeMounts.add(0, SharedNamespaces.HOST_SHM);
            }
            Trace.mark(engine.config().env(), "etc files and volumes");

            LaunchFile launch = LaunchPlanner.plan(new LaunchPlanner.Inputs(id, spec, process, ids, hostname, stateDir,
                    logPath, detach, rootfs, cgroup.procsFiles(), cgroup.oomFile(), netPlan.newNetworkNamespace(),
                    joins(netPlan.joinNamespaces(), shared.joins()), dataDir, volumeMounts,
                    selfLimits, stateDir.resolve(ContainerLauncher.SYNC),
                    netPlan.loopbackUp(), security, cgroup.deviceProgramDir()));
            launch.put("engine_pid", ProcessHandle.current().pid());
            if (shared.shmFrom() != null) launch.put("shm_from", shared.shmFrom());
            if (!detach && !engine.quietStreams().isEmpty())
                launch.put("quiet_streams", String.join(",", new java.util.TreeSet<>(engine.quietStreams())));
            if (!detach && engine.ownSession()) launch.put("own_session", true);
            // docker's detach keys act only with a tty and the caller's stdin attached to it
            boolean detachable = !detach && engine.detachKeys() != null && spec.process().tty() && spec.process().interactive()
                    && !engine.quietStreams().contains("stdin");
            if (detachable) launch.put("detach_keys", detachKeysLine(engine.detachKeys()));
            if (previous != null) deleteFile(stateDir.resolve(DETACHED)); // an earlier run's: only a monitor that detaches writes it
            if (layerCopies) launch.without("idmap_layer");
            // -v HOST:CTR:idmap: the monitor idmaps the source where init will find it
            for (dev.hutch.spec.Mount m : spec.mounts()) if (m.idmapped()) launch.put("idmap_bind", m.source()); // the copies are the range's already: the monitor only mounts the overlay
            if (spec.log().maxSize() > 0) {
                launch.put("log_max_size", spec.log().maxSize());
                launch.put("log_max_files", spec.log().maxFiles());
            }
            // The monitor runs this when the container ends (podman's exit command): -d --rm removes
            // the container; otherwise hutch's restart policy runs, but only while the policy's mark
            // file exists (written for a policy other than "no", here and by `update --restart`), so
            // a container without a policy costs no process at its end.
            // A foreground --rm is removed by its hutch process, or by the exit command once that
            // process detached (exit_when: the monitor's "detached" file).
            List<String> exitCommand = spec.autoRemove() && !detach && !detachable ? List.of() : engine.exitCommand();
            if (!exitCommand.isEmpty()) {
                for (String arg : exitCommand) launch.put("exit_arg", arg);
                for (String arg : spec.autoRemove() ? List.of("rm", "--force", "--volumes", id) : List.of(Engine.AFTER_EXIT_VERB, id))
                    launch.put("exit_arg", arg);
                if (!spec.autoRemove()) launch.put("exit_when", stateDir.resolve(Restarts.MARK).toString());
                else if (!detach) launch.put("exit_when", stateDir.resolve(DETACHED).toString());
            }
            Restarts.mark(stateDir, spec.restart());
            // The health check (--health-*, else the image's HEALTHCHECK): run by the monitor, through
            // an exec file written once init's pid is known (below), before init may run.
            dev.hutch.spec.HealthCheck health = spec.health().over(image.config().healthcheck());
            Path healthExec = stateDir.resolve(HEALTH_EXEC);
            deleteFile(healthExec);
            List<String> groupAdd = spec.kernel().groupAdd();
            if (health != null) {
                launch.put("health_exec", healthExec.toString());
                if (health.intervalMillis() > 0) launch.put("health_interval_ms", health.intervalMillis());
                if (health.timeoutMillis() > 0) launch.put("health_timeout_ms", health.timeoutMillis());
                if (health.startPeriodMillis() > 0) launch.put("health_start_ms", health.startPeriodMillis());
                if (health.retries() > 0) launch.put("health_retries", health.retries());
            }
            // The monitor, which sees the exit, appends the container's die event (docs/events.md).
            launch.put("event_file", engine.events().file().toString());
            launch.put("event_die", dev.hutch.events.EventJournal.dieLineRest(id,
                    ContainerEvents.attributes(named, java.util.Map.of())));

            // [::1] of published ports: the monitor's loopback proxy (no route_localnet for IPv6), its
            // targets written once the host ports are chosen (at attach), before go.
            Path proxy6 = stateDir.resolve(PROXY6);
            deleteFile(proxy6);
            boolean mayProxy6 = spec.ports().stream().anyMatch(dev.hutch.net.LoopbackProxy::wanted);
            if (mayProxy6) launch.put("proxy6_file", proxy6.toString());

            // Journaled now, held (for tests) only once the helper exists and its pid is recorded.
            states.update(id, s -> s.toBuilder().network(netPlan.record()).step(Step.HELPER).build());
            ContainerLauncher.Launched launched = new ContainerLauncher(helper, engine.stdio(), config.env()).launch(stateDir, launch, detach, monitorPid -> {
                ProcStat m = ProcStat.read(config.procRoot(), monitorPid);
                long mStart = m == null ? 0 : m.startTime();
                states.recordMonitor(id, monitorPid, mStart);
                states.update(id, s -> s.toBuilder().monitorPid(monitorPid, mStart).build());
                StepHold.at(engine.config().env(), Step.HELPER);
            }, (pid, monitorPid) -> {
                ProcStat stat = ProcStat.read(config.procRoot(), pid);
                long start = stat == null ? 0 : stat.startTime();
                // init waits for "go" in its new user namespace: its maps first, then the network.
                // Its pid is recorded before init may run: a reader must always be able to tell a
                // container that is stopping (monitor alive) from one that died unwatched.
                if (mapping != null) mapping.writeFor(config.procRoot(), pid);
                if (health != null) {
                    LaunchFile check = dev.hutch.runtime.ExecPlanner.plan(pid, LaunchFile.parse(launch.render()),
                            new dev.hutch.spec.ExecSpec(health.argv(), List.of(), null, null, false, false), cgroup.procsFiles(), users,
                            groupAdd);
                    AtomicFiles.replace(healthExec, check.render());
                }
                if (netPlan.needsWiring()) {
                    states.update(id, s -> s.toBuilder().pid(pid, start).build()); // before its veth moves in
                    NetworkRecord wired = net.attach(netPlan, pid);
                    if (mayProxy6) AtomicFiles.replace(proxy6, dev.hutch.net.LoopbackProxy.render(wired));
                    states.update(id, s -> s.toBuilder().network(wired).step(Step.GO).build());
                } else {
                    states.update(id, s -> s.toBuilder().pid(pid, start).step(Step.GO).build());
                }
                // Before "go": the start event must precede the die the monitor may write at once.
                engine.startEvents(named);
                startRecorded[0] = true;
                StepHold.at(engine.config().env(), Step.GO);
            });
            Trace.mark(engine.config().env(), "helper started the command");
            // From here the container runs: a failure to record it must not kill it silently.
            undo.commit();
            ContainerState running = states.update(id, s -> s.toBuilder().status(ContainerStatus.RUNNING)
                    .started(Instant.now()).build());
            return new Started(running, launched.monitor(), launched.detachNotice());
        } catch (RuntimeException e) {
            if (startRecorded[0])
                engine.containerEvent("die", named, java.util.Map.of("exitCode",
                        Integer.toString(e instanceof HutchException he ? he.exitCode() : 125)));
            List<String> undoFailures = undo.undoAll();
            if (!undoFailures.isEmpty() && e instanceof HutchException he) {
                throw new HutchException(he.exitCode(), he.getMessage() + " (and cleanup failed: "
                        + String.join("; ", undoFailures) + ")", he);
            }
            throw e;
        }
    }

    /** The launch file's detach_keys: the bytes in decimal, comma-separated. */
    private static String detachKeysLine(byte[] keys) {
        StringBuilder b = new StringBuilder();
        for (byte k : keys) b.append(b.length() == 0 ? "" : ",").append(k & 0xff);
        return b.toString();
    }

    private static List<String> joins(List<String> network, List<String> namespaces) {
        if (namespaces.isEmpty()) return network;
        List<String> all = new ArrayList<>(network);
        all.addAll(namespaces);
        return all;
    }

    /** --uts host: the container has the host's name, so its /etc/hostname says that name too. */
    private String hostHostname() {
        String h = AtomicFiles.readOrNull(engine.config().procRoot().resolve("sys/kernel/hostname"));
        return h == null || h.isBlank() ? "localhost" : h.strip();
    }

    /**
     * The spec with each --volumes-from source's volumes and bind mounts added (docker's rules in
     * {@link dev.hutch.spec.VolumesFrom#mountsOf}); the source may be stopped, but must exist.
     */
    private ContainerSpec withVolumesFrom(ContainerSpec spec) {
        List<dev.hutch.spec.Mount> all = new ArrayList<>(spec.mounts());
        for (String text : spec.volumesFrom()) {
            dev.hutch.spec.VolumesFrom from = dev.hutch.spec.VolumesFrom.parse(text);
            ContainerState src;
            try {
                src = states.get(states.resolve(from.container()));
            } catch (dev.hutch.NotFoundException e) {
                throw new dev.hutch.spec.InvalidSpecException("--volumes-from", text, "names no such container: "
                        + from.container() + " (see hutch ps -a)");
            }
            all.addAll(from.mountsOf(src.spec().mounts(), all, i -> dev.hutch.volume.HostVolumes.anonymousName(src.id(), i)));
        }
        ContainerSpec.Builder b = spec.toBuilder();
        b.clearMounts();
        all.forEach(b::mount);
        return b.build();
    }

    private static void checkStopSignal(String signal) {
        try {
            dev.hutch.runtime.Signals.parse(signal);
        } catch (dev.hutch.spec.InvalidSpecException e) {
            throw new dev.hutch.spec.InvalidSpecException("--stop-signal", signal, "is not a signal (try SIGTERM, SIGINT, QUIT or a number 1-64)");
        }
    }

    /** Appends the step to the record's journal before the step is taken (then a test may hold there). */
    private void journal(String id, String step) {
        states.update(id, s -> s.toBuilder().step(step).build());
        StepHold.at(engine.config().env(), step);
    }

    /** An undo step as a class, not a lambda: a lambda's first call costs a cold JVM milliseconds. */
    private record ReleaseRange(UserNamespaces userns, String id) implements Runnable {
        @Override
        public void run() { userns.release(id); }
    }

    /** No fsync: these files only matter while the container runs, and a crash ends it. */
    private static void writeEtcFile(Path file, String content) {
        try {
            Files.writeString(file, content == null ? "" : content);
        } catch (IOException e) {
            throw new HutchException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HutchException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HutchException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    static void deleteDir(Path dir) {
        dev.hutch.util.Dirs.deleteRecursively(dir);
    }
}
