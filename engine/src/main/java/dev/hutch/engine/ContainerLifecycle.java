package dev.hutch.engine;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupManager;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.layer.LayerDriver;
import dev.hutch.net.ContainerNetworking;
import dev.hutch.runtime.ProcessExit;
import dev.hutch.runtime.Signals;
import dev.hutch.spec.Resources;
import dev.hutch.spec.ResourceValidator;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.Step;
import dev.hutch.state.StateStore;
import dev.hutch.util.HostInfo;
import dev.hutch.util.ProcStat;
import dev.hutch.volume.VolumeMounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** stop, kill, rm, wait, update, pause: the verbs that act on a container that exists. */
final class ContainerLifecycle {
    /** After init is gone, how long the monitor may take to write the exit file. */
    private static final long EXIT_FILE_GRACE_MS = 5_000;
    /** While waiting for the exit file: how often to look whether its monitor still lives. */
    private static final long MONITOR_LOOK_MS = 50;
    /** How long a stop or rm -f lets a restart policy's start that is under way finish. */
    private static final long RESTARTER_START_WAIT_MS = 60_000;

    private final Engine engine;
    private final StateStore states;
    private final CgroupManager cgroups;
    private final Supplier<ContainerNetworking> networking;
    private final VolumeMounts volumes;
    private final LayerDriver layers;

    ContainerLifecycle(Engine engine, StateStore states, CgroupManager cgroups, Supplier<ContainerNetworking> networking,
                       VolumeMounts volumes, LayerDriver layers) {
        this.engine = engine;
        this.states = states;
        this.cgroups = cgroups;
        this.networking = networking;
        this.volumes = volumes;
        this.layers = layers;
    }

    /**
     * @param timeout null: the container's --stop-timeout, else docker's 10 s; negative: wait for ever
     * @param signal  null: the container's --stop-signal (or its image's StopSignal), else SIGTERM
     */
    String stop(String id, Duration timeout, String signal) {
        cancelRestart(id);
        ContainerState s = states.get(id);
        if (!s.isRunning()) return id;
        dev.hutch.spec.StopPolicy policy = s.spec().stop();
        int sig = Signals.parse(signal != null ? signal : policy.signal() != null ? policy.signal() : "SIGTERM");
        long waitMs = timeout != null ? timeout.toMillis()
                : (policy.timeoutSeconds() != null ? policy.timeoutSeconds() : dev.hutch.spec.StopPolicy.DEFAULT_TIMEOUT_SECONDS) * 1000L;
        if (waitMs < 0) waitMs = Duration.ofDays(36_500).toMillis(); // "for ever", without overflowing a nanosecond deadline
        exits().prepare(); // JNA binds while the signal goes and the container ends
        thawIfFrozen(s); // a frozen init cannot act on the signal
        Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), sig);
        if (!awaitGone(s, waitMs)) {
            Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), Signals.SIGKILL);
            awaitGone(s, EXIT_FILE_GRACE_MS);
        }
        awaitExitFile(id);
        states.get(id);
        return id;
    }

    String kill(String id, String signal) {
        int sig = Signals.parse(signal);
        // A kill meant to end it (SIGKILL, or its stop signal) is a manual stop: its restart policy
        // must not bring it back. Other signals (HUP to reload...) leave the policy in force.
        ContainerState seen = states.get(id);
        String stopSignal = seen.spec().stop().signal();
        if (sig == Signals.SIGKILL || sig == Signals.parse(stopSignal != null ? stopSignal : "SIGTERM")) cancelRestart(id);
        ContainerState s = states.get(id);
        if (!s.isRunning())
            throw new HutchException("cannot kill container " + s.name() + ": it is not running");
        if (sig == Signals.SIGKILL) {
            exits().prepare();
            thawIfFrozen(s);
        }
        Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), sig);
        if (sig == Signals.SIGKILL) {
            awaitGone(s, EXIT_FILE_GRACE_MS);
            awaitExitFile(id);
            states.get(id);
        }
        return id;
    }

    /**
     * docker wait. The end of a container is an event: the monitor renames its exit file into the
     * state dir, which inotify reports (a WatchService on the dir) the moment it happens. The
     * status is re-read on each event and once a second, the latter only as a safety net for a
     * container whose monitor was killed (no exit file will come; StateStore.refresh sees init gone).
     */
    int waitFor(String id) {
        ContainerState s = states.get(id);
        if (!s.isRunning() && s.status() != ContainerStatus.CREATED) return s.exitCode() == null ? -1 : s.exitCode();
        try (java.nio.file.WatchService watch = states.dir(id).getFileSystem().newWatchService()) {
            states.dir(id).register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            s = states.get(id);
            while (s.isRunning() || s.status() == ContainerStatus.CREATED) {
                java.nio.file.WatchKey key = watch.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                s = states.get(id);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw dev.hutch.NotFoundException.container("no such container: " + id + " (it was removed while waiting)");
        } catch (java.io.IOException e) {
            throw new HutchException("cannot watch " + states.dir(id) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        }
        return s.exitCode() == null ? -1 : s.exitCode();
    }

    /** After a foreground run's monitor exited: the final state, the exit code, and --rm. */
    int awaitFinalState(String id, boolean autoRemove) {
        awaitExitFile(id);
        ContainerState s = states.get(id);
        if (s.isRunning()) { // the monitor died but init lives on (it was killed from outside)
            Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), Signals.SIGKILL);
            awaitGone(s, EXIT_FILE_GRACE_MS);
            s = states.get(id);
        }
        int code = s.exitCode() == null ? HutchException.ENGINE_FAILURE : s.exitCode();
        if (autoRemove) remove(id, true, true);
        return code;
    }

    String remove(String id, boolean force, boolean removeVolumes) {
        if (!force && states.get(id).status() == ContainerStatus.RESTARTING)
            throw new HutchException("cannot remove container " + states.get(id).name()
                    + ": it is restarting (stop it first, or use rm -f)");
        if (force) cancelRestart(id); // before init is killed: its exit must not be taken for a crash
        ContainerState s = states.get(id);
        if (s.isRunning()) {
            if (!force)
                throw new HutchException("cannot remove container " + s.name() + ": it is running (stop it first, or use rm -f)");
            exits().prepare();
            thawIfFrozen(s);
            Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), Signals.SIGKILL);
            awaitGone(s, EXIT_FILE_GRACE_MS);
            awaitExitFile(id);
        } else if (s.status() == ContainerStatus.CREATED && s.runnerPid() > 0) {
            if (!force)
                throw new HutchException("cannot remove container " + s.name() + ": it is being created by hutch process "
                        + s.runnerPid() + " (wait for it, or use rm -f)");
        }
        // An interrupted run may have left init waiting for "go" and its monitor: both go, each
        // signalled only if its pid still has the recorded start time.
        if (engine.alive(s)) {
            Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), Signals.SIGKILL);
            awaitGone(s, EXIT_FILE_GRACE_MS);
        }
        long[] monitor = s.isDamaged() ? states.monitorOf(id) : new long[] {s.monitorPid(), s.monitorStartTime()};
        if (monitor != null && monitor[0] > 0 && ProcStat.isAlive(engine.config().procRoot(), monitor[0], monitor[1])) {
            Signals.send(engine.config().procRoot(), monitor[0], monitor[1], Signals.SIGKILL);
            exits().await(monitor[0], monitor[1], EXIT_FILE_GRACE_MS);
        }
        // Each step is idempotent, so a remove interrupted half-way can simply be run again; the
        // state dir goes last so the record survives until everything else is gone.
        List<String> names = s.isDamaged() ? states.namesOf(id) : List.of(s.name());
        boolean interrupted = s.status() == ContainerStatus.DEAD || s.status() == ContainerStatus.CREATED;
        List<String> failures = new ArrayList<>();
        step(failures, "network", () -> networking.get().release(id, s.network()));
        if (interrupted && s.began(Step.NETWORK)) {
            // leases taken before the record had them, or a record that cannot say
            step(failures, "network (by id)", () -> networking.get().releaseById(id, names.isEmpty() ? null : names.get(0)));
        }
        step(failures, "cgroup", () -> cgroups.open(id, s.cgroupPaths()).destroy());
        if (removeVolumes && !s.isDamaged()) step(failures, "volumes", () -> volumes.removeAnonymous(id, notMountedElsewhere(id, s.spec().mounts())));
        step(failures, "rootfs", () -> layers.remove(engine.config().containerDataDir(id)));
        // by id, whatever the record says: a run killed right after taking the range recorded nothing yet
        step(failures, "userns range", () -> engine.userNamespaces().release(id));
        step(failures, "data dir", () -> ContainerRunner.deleteDir(engine.config().containerDataDir(id)));
        if (!failures.isEmpty())
            throw new HutchException("could not remove all of container " + s.name() + ": " + String.join("; ", failures)
                    + " (run `hutch rm -f " + (s.isDamaged() ? id : s.name()) + "` again)");
        for (String n : names) states.releaseName(n, id);
        states.delete(id);
        return id;
    }

    /**
     * The user's stop, kill or rm -f: marks the container "manually stopped" (under the record's
     * lock, which the restart policy's decision and its start's claim also take, so either the
     * policy sees the mark or its restarter is recorded here) and ends a restarter waiting its
     * backoff or starting the container. A start it interrupted is then an interrupted run, which
     * the record's journal lets rm -f or a new start undo.
     */
    void cancelRestart(String id) {
        ContainerState s;
        try {
            s = states.update(id, cur -> cur.toBuilder().restart(cur.restart().withManuallyStopped(true)).build());
        } catch (dev.hutch.NotFoundException e) {
            throw e;
        } catch (HutchException e) {
            return; // a damaged record: no policy can read it either
        }
        dev.hutch.state.RestartRecord r = s.restart();
        if (r.restarterPid() <= 0 || r.restarterPid() == ProcessHandle.current().pid()
                || !ProcStat.isAlive(engine.config().procRoot(), r.restarterPid(), r.restarterStartTime())) return;
        // Still "restarting": its start's claim will see the mark and refuse, so ending it in its
        // backoff changes nothing else. Once it claimed the record, its start is let finish (a
        // start cut short leaves a dead record), and the caller then finds the container running.
        if (s.status() != ContainerStatus.RESTARTING
                && exits().await(r.restarterPid(), r.restarterStartTime(), RESTARTER_START_WAIT_MS)) return;
        Signals.send(engine.config().procRoot(), r.restarterPid(), r.restarterStartTime(), Signals.SIGKILL);
        exits().await(r.restarterPid(), r.restarterStartTime(), EXIT_FILE_GRACE_MS);
    }

    /**
     * Undoes what a former run made that a new start makes again: its processes (an interrupted
     * run's init and monitor, each only if its pid still has the recorded start time), its
     * network (addresses, veths, rules, netns file) and its cgroups. The record, name, data dir,
     * writable layer, volumes and user-namespace lease stay. Each step is idempotent, as in
     * {@link #remove}, so a start interrupted here can simply be run again.
     */
    void releaseRuntime(ContainerState s) {
        String id = s.id();
        if (engine.alive(s)) {
            Signals.send(engine.config().procRoot(), s.pid(), s.pidStartTime(), Signals.SIGKILL);
            awaitGone(s, EXIT_FILE_GRACE_MS);
        }
        if (s.monitorPid() > 0 && ProcStat.isAlive(engine.config().procRoot(), s.monitorPid(), s.monitorStartTime())) {
            Signals.send(engine.config().procRoot(), s.monitorPid(), s.monitorStartTime(), Signals.SIGKILL);
            exits().await(s.monitorPid(), s.monitorStartTime(), EXIT_FILE_GRACE_MS);
        }
        List<String> failures = new ArrayList<>();
        step(failures, "network", () -> networking.get().release(id, s.network()));
        boolean interrupted = s.status() == ContainerStatus.DEAD || s.status() == ContainerStatus.CREATED;
        if (interrupted && s.began(Step.NETWORK)) {
            // leases an interrupted run took before its record had them: what the id alone implies
            step(failures, "network (by id)", () -> networking.get().releaseById(id, s.name()));
        }
        step(failures, "cgroup", () -> cgroups.open(id, s.cgroupPaths()).destroy());
        if (!failures.isEmpty())
            throw new HutchException("cannot start container " + s.name() + " again: what its last run made could not all be undone: "
                    + String.join("; ", failures) + " (try again, or remove it with `hutch rm -f " + s.name() + "`)");
    }

    ContainerState update(String id, Resources changes) {
        ContainerState s = states.get(id);
        Resources merged = merge(s.spec().resources(), changes);
        ResourceValidator.validate(merged, HostInfo.cpus());
        if (s.isRunning()) cgroups.open(id, s.cgroupPaths()).update(changes);
        return states.update(id, cur -> cur.toBuilder()
                .spec(cur.spec().withResources(merged)).build());
    }

    void pause(String id) {
        ContainerState s = states.get(id);
        if (!s.isRunning()) throw new HutchException("cannot pause container " + s.name() + ": it is not running");
        ContainerCgroup cg = cgroups.open(id, s.cgroupPaths());
        if (cg.frozen()) throw new HutchException("cannot pause container " + s.name() + ": it is already paused");
        cg.freeze();
    }

    void unpause(String id) {
        ContainerState s = states.get(id);
        ContainerCgroup cg = cgroups.open(id, s.cgroupPaths());
        if (!s.isRunning() || !cg.frozen())
            throw new HutchException("cannot unpause container " + s.name() + ": it is not paused");
        cg.thaw();
    }

    /** Later values win; a null field in {@code changes} keeps the old value. */
    static Resources merge(Resources old, Resources changes) {
        Resources.Builder b = old.toBuilder();
        if (changes.cpus() != null) b.cpus(changes.cpus()).cpuQuota(null);
        if (changes.cpuQuota() != null) b.cpuQuota(changes.cpuQuota()).cpus(null);
        if (changes.cpuPeriod() != null) b.cpuPeriod(changes.cpuPeriod());
        if (changes.cpuShares() != null) b.cpuShares(changes.cpuShares());
        if (changes.cpusetCpus() != null) b.cpusetCpus(changes.cpusetCpus());
        if (changes.cpusetMems() != null) b.cpusetMems(changes.cpusetMems());
        if (changes.memory() != null) b.memory(changes.memory());
        if (changes.memorySwap() != null) b.memorySwap(changes.memorySwap());
        if (changes.memoryReservation() != null) b.memoryReservation(changes.memoryReservation());
        if (changes.pidsLimit() != null) b.pidsLimit(changes.pidsLimit());
        if (changes.blkioWeight() != null) b.blkioWeight(changes.blkioWeight());
        return b.build();
    }

    private void thawIfFrozen(ContainerState s) {
        try {
            ContainerCgroup cg = cgroups.open(s.id(), s.cgroupPaths());
            if (cg.frozen()) cg.thaw();
        } catch (RuntimeException ignored) {
            // no freezer controller: nothing can be frozen
        }
    }

    /** Init's end as an event (a pidfd; polling /proc only on kernels before 5.3). */
    private boolean awaitGone(ContainerState s, long millis) {
        return exits().await(s.pid(), s.pidStartTime(), millis);
    }

    private ProcessExit exits() { return ProcessExit.host(engine.config().procRoot()); }

    /**
     * The monitor writes the exit file just after init is gone; wait a little for it, if a monitor
     * lives. The file is renamed into the state dir, which inotify reports at once; the status of
     * the monitor is looked at between events, since a monitor killed meanwhile writes nothing.
     */
    private void awaitExitFile(String id) {
        Path exit = states.dir(id).resolve(StateStore.EXIT);
        if (Files.exists(exit)) return;
        ContainerState s = states.read(id);
        long deadline = System.currentTimeMillis() + EXIT_FILE_GRACE_MS;
        try (WatchService watch = exit.getFileSystem().newWatchService()) {
            states.dir(id).register(watch, StandardWatchEventKinds.ENTRY_CREATE); // a rename into the dir too
            while (!Files.exists(exit) && System.currentTimeMillis() < deadline) {
                if (!states.monitorAlive(s) && !engine.alive(s)) return; // no monitor to write it: StateStore.refresh decides
                WatchKey key = watch.poll(MONITOR_LOOK_MS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // the state dir is gone (removed meanwhile): nothing to wait for
        } catch (IOException e) {
            throw new HutchException("cannot watch " + states.dir(id) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        }
    }

    private static void step(List<String> failures, String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.add(what + ": " + e.getMessage());
        }
    }

    /**
     * {@code rm -v} keeps an anonymous volume that another container mounts (it came to that one
     * through {@code --volumes-from}), as docker keeps a volume in use: such a mount is left out,
     * the others keep their index (which names them).
     */
    private List<dev.hutch.spec.Mount> notMountedElsewhere(String id, List<dev.hutch.spec.Mount> mounts) {
        List<dev.hutch.spec.Mount> kept = new ArrayList<>(mounts);
        for (int i = 0; i < mounts.size(); i++) {
            dev.hutch.spec.Mount m = mounts.get(i);
            if (m.type() != dev.hutch.spec.Mount.Type.VOLUME || !m.source().isEmpty()) continue;
            String name = dev.hutch.volume.HostVolumes.anonymousName(id, i);
            boolean elsewhere = states.all().stream().filter(o -> !o.id().equals(id))
                    .anyMatch(o -> o.spec().mounts().stream().anyMatch(om -> om.type() == dev.hutch.spec.Mount.Type.VOLUME && om.source().equals(name)));
            if (elsewhere) kept.set(i, dev.hutch.spec.Mount.tmpfs(m.target(), java.util.Map.of()));
        }
        return kept;
    }
}
