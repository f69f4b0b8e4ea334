package dev.hutch.cli.api;

import dev.hutch.runtime.NameGenerator;
import dev.hutch.spec.ExecSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exec instances of {@code POST /containers/{id}/exec}: docker splits exec into create,
 * start and inspect, hutch's engine runs one in one call ({@code Engine.exec}); the instance
 * between the calls, with its outcome for the inspect that follows, lives in the service's memory.
 */
final class ExecInstances {
    private static final int KEEP = 256;

    /** One exec: what to run where, and how it went. */
    static final class Instance {
        final String id, containerId;
        final ExecSpec spec;
        final boolean attachStdout, attachStderr;
        final Instant created = Instant.now();
        private boolean started; // guarded by this
        volatile boolean running;
        volatile Integer exitCode;
        volatile long pid;
        volatile Process helper;
        volatile StreamHub hub;
        /** The last size the client asked for, kept for a helper not started yet. */
        volatile int[] requestedSize;

        Instance(String id, String containerId, ExecSpec spec, boolean attachStdout, boolean attachStderr) {
            this.id = id;
            this.containerId = containerId;
            this.spec = spec;
            this.attachStdout = attachStdout;
            this.attachStderr = attachStderr;
        }

        /** Once only: a second start is docker's conflict. */
        synchronized boolean markStarted() {
            if (started) return false;
            started = running = true;
            return true;
        }

        /** The exec'd command's host pid: the helper's child (it forks so the pid namespace takes effect). */
        long pid() {
            Process h = helper;
            if (pid == 0 && h != null && running) {
                try {
                    String children = Files.readString(Path.of("/proc/" + h.pid() + "/task/" + h.pid() + "/children")).trim();
                    if (!children.isEmpty()) pid = Long.parseLong(children.split("\\s+")[0]);
                } catch (Exception e) {
                    // not forked yet, or gone: 0 as docker's before the start
                }
            }
            return pid;
        }

        void ended(int code) {
            exitCode = code;
            running = false;
        }
    }

    private final Map<String, Instance> byId = new ConcurrentHashMap<>();

    Instance create(String containerId, ExecSpec spec, boolean attachStdout, boolean attachStderr) {
        if (byId.size() > KEEP) byId.values().removeIf(i -> !i.running && i.exitCode != null);
        Instance i = new Instance(NameGenerator.newId(), containerId, spec, attachStdout, attachStderr);
        byId.put(i.id, i);
        return i;
    }

    Instance get(String id) {
        Instance i = byId.get(id);
        if (i == null) throw new ApiError(404, "No such exec instance: " + id);
        return i;
    }
}
