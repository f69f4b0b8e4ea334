package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.runtime.Signals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The verbs after {@code create}, each over the recorded state and what the kernel says now. The
 * error strings are runc's where callers match on them (containerd's and podman's "does not
 * exist", "not running", "not paused").
 */
public final class OciRuntime {
    private final OciHost host;
    private final java.util.function.Consumer<String> warn;

    public OciRuntime(OciHost host) { this(host, m -> {}); }

    /** @param warn where a failed poststart or poststop hook is told */
    public OciRuntime(OciHost host, java.util.function.Consumer<String> warn) {
        this.host = host;
        this.warn = warn;
    }

    public OciStatus status(OciState s) {
        return OciStatus.of(s, host.store().dir(s.id()), frozen(s));
    }

    private boolean frozen(OciState s) {
        if (s.cgroupPaths().isEmpty()) return false;
        try {
            return cgroup(s).frozen();
        } catch (RuntimeException e) {
            return false; // the cgroup is gone: the container is not paused
        }
    }

    ContainerCgroup cgroup(OciState s) { return host.cgroups().open(OciHost.cgroupName(s.id()), s.cgroupPaths()); }

    /**
     * Lets init exec the command: opening the start FIFO releases init's blocked open, and the
     * byte it then writes says it went on. The FIFO is opened read-write (never blocks) and read on
     * a thread of its own, so an init that died meanwhile is noticed instead of waited for forever.
     */
    public void start(String id) {
        OciState s = host.store().load(id);
        OciStatus st = status(s);
        if (st != OciStatus.CREATED) throw new HutchException("cannot start a container that has " + (st == OciStatus.STOPPED ? "stopped" : "already started"));
        Path fifo = host.store().dir(id).resolve(OciStore.START_FIFO);
        final int[] got = {-2};
        Thread reader = new Thread(() -> {
            try (RandomAccessFile f = new RandomAccessFile(fifo.toFile(), "rw")) {
                got[0] = f.read();
            } catch (IOException e) {
                got[0] = -1;
            }
        }, "hutch-oci-start");
        reader.setDaemon(true);
        reader.start();
        try {
            while (reader.isAlive()) {
                reader.join(10);
                if (reader.isAlive() && status(s) == OciStatus.STOPPED)
                    throw new HutchException("container " + id + " stopped before it started");
            }
            Files.deleteIfExists(fifo); // from here on: running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while starting " + id, e);
        } catch (IOException e) {
            throw new HutchException("cannot remove " + fifo + ": " + e.getMessage(), e);
        }
        if (got[0] != '0') throw new HutchException("container " + id + " did not start (start fifo read " + got[0] + ")");
        runWarning(s, "poststart", OciStatus.RUNNING);
    }

    /** poststart and poststop: a failure is a warning (runtime-spec), on stderr and in the log. */
    private void runWarning(OciState s, String stage, OciStatus status) {
        try {
            OciHooks.run(s.hooks(), stage, OciStateJson.of(s, status));
        } catch (HutchException e) {
            warn.accept(e.getMessage());
        }
    }

    public void kill(String id, int signal, boolean all) {
        OciState s = host.store().load(id);
        OciStatus st = status(s);
        if (st == OciStatus.STOPPED) throw new HutchException("container not running");
        if (all) {
            for (long pid : cgroup(s).pids()) Signals.send(pid, signal);
            // a frozen process takes its SIGKILL only once thawed, as runc does for kill --all
            if (st == OciStatus.PAUSED && signal == Signals.SIGKILL) cgroup(s).thaw();
            return;
        }
        if (!Signals.send(Path.of("/proc"), s.pid(), s.pidStartTime(), signal)) throw new HutchException("container not running");
    }

    /**
     * Removes a stopped container: cgroup and state. {@code force} kills it first, whatever its
     * state; a created one is deleted without force too (runc does, it never ran).
     */
    public void delete(String id, boolean force) {
        OciStore store = host.store();
        if (!store.exists(id)) {
            if (force) {
                store.remove(id);
                return;
            }
            throw new OciNotFoundException(id);
        }
        OciState s = store.load(id);
        OciStatus st = status(s);
        if (st != OciStatus.STOPPED && st != OciStatus.CREATED && !force)
            throw new HutchException("cannot delete container " + id + " that is not stopped: " + st.text());
        if (st != OciStatus.STOPPED) {
            Signals.send(Path.of("/proc"), s.pid(), s.pidStartTime(), Signals.SIGKILL);
            awaitStopped(s);
        }
        if (!s.cgroupPaths().isEmpty()) cgroup(s).destroy(); // kills what is left (exec'd processes), removes the dirs
        runWarning(s, "poststop", OciStatus.STOPPED);
        store.remove(id);
    }

    private void awaitStopped(OciState s) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (OciStatus.of(s, host.store().dir(s.id()), false) != OciStatus.STOPPED) {
            if (System.nanoTime() > deadline) throw new HutchException("container " + s.id() + " did not stop within 10 s of SIGKILL");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HutchException("interrupted", e);
            }
        }
    }

    public void pause(String id) {
        OciState s = host.store().load(id);
        OciStatus st = status(s);
        if (st != OciStatus.RUNNING && st != OciStatus.CREATED) throw new HutchException("container not running");
        cgroup(s).freeze();
    }

    public void resume(String id) {
        OciState s = host.store().load(id);
        if (status(s) != OciStatus.PAUSED) throw new HutchException("container not paused");
        cgroup(s).thaw();
    }

    /**
     * {@code update --resources}: the runtime-spec's linux.resources object, the same mapping as
     * create's (cpu, memory, pids, blkio weight), written to the container's cgroup.
     */
    public void update(String id, String resourcesJson) {
        OciState s = host.store().load(id);
        if (status(s) == OciStatus.STOPPED) throw new HutchException("container not running");
        java.util.Map<String, Object> json;
        try {
            json = dev.hutch.json.Json.parseObject(resourcesJson);
        } catch (RuntimeException e) {
            throw new HutchException("--resources: not valid JSON: " + e.getMessage());
        }
        cgroup(s).update(LinuxMapping.resources(new dev.hutch.json.JsonReader(json)));
    }

    /** Host pids of every process in the container's cgroup. */
    public List<Long> pids(String id) {
        OciState s = host.store().load(id);
        if (status(s) == OciStatus.STOPPED) return List.of();
        return cgroup(s).pids();
    }
}
