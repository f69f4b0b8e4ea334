package dev.hutch.state;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;
import dev.hutch.layer.RootfsRecord;
import dev.hutch.net.NetworkRecord;
import dev.hutch.spec.ContainerSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one container kept in {@code <runRoot>/containers/<id>/config.json}. It is data
 * only: {@link StateStore} reads and writes it, and derives the live status (see
 * {@link StateStore#refresh}).
 *
 * @param pid           host pid of the container's init; 0 before start
 * @param pidStartTime  init's start time in clock ticks (/proc/PID/stat field 22), so a reused pid
 *                      is never mistaken for the container
 * @param monitorPid    host pid of the helper's monitor process
 * @param rootfs        the paths of the container's filesystem: lowerdirs, upper, work, merged
 * @param cgroupPaths   every cgroup directory made for the container, to remove on {@code rm}
 * @param network       what the network subsystem recorded (endpoints, addresses, veths, rules)
 * @param steps         the run's journal: each host-changing step of {@code run} is appended here
 *                      <em>before</em> it is taken, so whichever process dies, {@code rm -f} knows
 *                      what may exist on the host even where the step's own record never came
 * @param runnerPid     the hutch process that is creating the container (with its start time): a
 *                      "created" record whose runner is gone was interrupted, and is shown dead
 * @param monitorStartTime the monitor's start time (/proc/PID/stat field 22), so a reused pid is
 *                      never signalled or mistaken for the monitor
 * @param restart       what the restart policy did (count, manual stop, the restarting process)
 */
public record ContainerState(String id, String name, ContainerSpec spec, String imageId, List<String> command,
                             ContainerStatus status, long pid, long pidStartTime, long monitorPid,
                             Instant created, Instant started, Instant finished, Integer exitCode, boolean oomKilled,
                             String error, String logPath, RootfsRecord rootfs, List<String> cgroupPaths,
                             NetworkRecord network, String hostname, List<String> steps,
                             long runnerPid, long runnerStartTime, long monitorStartTime,
                             RestartRecord restart) implements JsonWritable {

    /** The reason shown for a record that cannot be read; {@link #isDamaged()} looks for it. */
    public static final String DAMAGED = "damaged record: ";

    public ContainerState {
        command = List.copyOf(command == null ? List.of() : command);
        rootfs = rootfs == null ? RootfsRecord.EMPTY : rootfs;
        cgroupPaths = List.copyOf(cgroupPaths == null ? List.of() : cgroupPaths);
        network = network == null ? NetworkRecord.EMPTY : network;
        steps = List.copyOf(steps == null ? List.of() : steps);
        restart = restart == null ? RestartRecord.EMPTY : restart;
    }

    /**
     * A stand-in for a record that cannot be read (torn, hand-edited, from another version): it
     * lists as dead with the reason, and every journal step is assumed taken, so {@code rm -f}
     * sweeps everything the id alone implies on the host.
     */
    public static ContainerState damaged(String id, String reason) {
        return new ContainerState(id, "<damaged>", ContainerSpec.builder("<unknown>").build(), null, List.of(),
                ContainerStatus.DEAD, 0, 0, 0, null, null, null, null, false, DAMAGED + reason, null, RootfsRecord.EMPTY,
                List.of(), NetworkRecord.EMPTY, null, Step.ALL, 0, 0, 0, RestartRecord.EMPTY);
    }

    public boolean isDamaged() { return status == ContainerStatus.DEAD && error != null && error.startsWith(DAMAGED); }

    /** Whether the journal says this step was begun. */
    public boolean began(String step) { return steps.contains(step); }

    /** The last step begun, or null before the first. */
    public String lastStep() { return steps.isEmpty() ? null : steps.get(steps.size() - 1); }

    public String shortId() { return id.substring(0, Math.min(12, id.length())); }

    public boolean isRunning() { return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED; }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("image", spec.image());
        m.put("imageId", imageId);
        m.put("command", command);
        m.put("status", status.label());
        m.put("pid", pid);
        m.put("pidStartTime", pidStartTime);
        m.put("monitorPid", monitorPid);
        m.put("created", str(created));
        m.put("started", str(started));
        m.put("finished", str(finished));
        m.put("exitCode", exitCode);
        m.put("oomKilled", oomKilled);
        if (error != null) m.put("error", error);
        m.put("hostname", hostname);
        m.put("logPath", logPath);
        m.put("rootfs", rootfs.toJson());
        m.put("cgroupPaths", cgroupPaths);
        m.put("network", network.toMap());
        m.put("steps", steps);
        m.put("runnerPid", runnerPid);
        m.put("runnerStartTime", runnerStartTime);
        m.put("monitorStartTime", monitorStartTime);
        if (!restart.equals(RestartRecord.EMPTY)) m.put("restart", restart.toJson());
        m.put("spec", spec.toJson());
        return m;
    }

    private static String str(Instant i) { return i == null ? null : i.toString(); }

    private static Instant instant(String s) { return s == null ? null : Instant.parse(s); }

    public static ContainerState fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new ContainerState(r.string("id"), r.string("name"), ContainerSpec.fromJson(r.raw().get("spec")),
                r.string("imageId"), r.strings("command"),
                ContainerStatus.valueOf(r.string("status", "created").toUpperCase()), r.number("pid", 0),
                r.number("pidStartTime", 0), r.number("monitorPid", 0), instant(r.string("created")),
                instant(r.string("started")), instant(r.string("finished")),
                r.longOrNull("exitCode") == null ? null : r.longOrNull("exitCode").intValue(), r.bool("oomKilled", false),
                r.string("error"), r.string("logPath"), RootfsRecord.fromJson(r.raw().get("rootfs")), r.strings("cgroupPaths"),
                NetworkRecord.fromMap(r.object("network").raw()), r.string("hostname"), r.strings("steps"), r.number("runnerPid", 0),
                r.number("runnerStartTime", 0), r.number("monitorStartTime", 0), RestartRecord.fromJson(r.raw().get("restart")));
    }

    public Builder toBuilder() { return new Builder(this); }

    /** Copy-with-changes, since states move through a lifecycle. */
    public static final class Builder {
        private String id, name, imageId, error, logPath, hostname;
        private ContainerSpec spec;
        private List<String> command, cgroupPaths;
        private ContainerStatus status;
        private long pid, pidStartTime, monitorPid;
        private Instant created, started, finished;
        private Integer exitCode;
        private boolean oomKilled;
        private RootfsRecord rootfs = RootfsRecord.EMPTY;
        private NetworkRecord network = NetworkRecord.EMPTY;
        private List<String> steps = new ArrayList<>();
        private long runnerPid, runnerStartTime, monitorStartTime;
        private RestartRecord restart = RestartRecord.EMPTY;

        public Builder(String id, String name, ContainerSpec spec) {
            this.id = id; this.name = name; this.spec = spec; this.status = ContainerStatus.CREATED;
            this.command = new ArrayList<>(); this.cgroupPaths = new ArrayList<>();
            this.created = Instant.now();
        }

        Builder(ContainerState s) {
            id = s.id; name = s.name; spec = s.spec; imageId = s.imageId; command = s.command; status = s.status;
            pid = s.pid; pidStartTime = s.pidStartTime; monitorPid = s.monitorPid; created = s.created;
            started = s.started; finished = s.finished; exitCode = s.exitCode; oomKilled = s.oomKilled;
            error = s.error; logPath = s.logPath; rootfs = s.rootfs; cgroupPaths = s.cgroupPaths;
            network = s.network; hostname = s.hostname; steps = s.steps; runnerPid = s.runnerPid;
            runnerStartTime = s.runnerStartTime; monitorStartTime = s.monitorStartTime; restart = s.restart;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder spec(ContainerSpec v) { spec = v; return this; }
        public Builder imageId(String v) { imageId = v; return this; }
        public Builder command(List<String> v) { command = v; return this; }
        public Builder status(ContainerStatus v) { status = v; return this; }
        public Builder pid(long v, long startTime) { pid = v; pidStartTime = startTime; return this; }
        public Builder monitorPid(long v) { monitorPid = v; return this; }
        public Builder monitorPid(long v, long startTime) { monitorPid = v; monitorStartTime = startTime; return this; }
        public Builder runner(long pid, long startTime) { runnerPid = pid; runnerStartTime = startTime; return this; }
        /** Appends a step to the journal (once). */
        public Builder step(String v) {
            if (!steps.contains(v)) { List<String> n = new ArrayList<>(steps); n.add(v); steps = n; }
            return this;
        }
        /** Replaces the journal: a new start of a stopped container keeps only the steps whose work it keeps. */
        public Builder steps(List<String> v) { steps = List.copyOf(v); return this; }
        public Builder started(Instant v) { started = v; return this; }
        public Builder finished(Instant v) { finished = v; return this; }
        public Builder exitCode(Integer v) { exitCode = v; return this; }
        public Builder oomKilled(boolean v) { oomKilled = v; return this; }
        public Builder error(String v) { error = v; return this; }
        public Builder logPath(String v) { logPath = v; return this; }
        public Builder rootfs(RootfsRecord v) { rootfs = v; return this; }
        public Builder cgroupPaths(List<String> v) { cgroupPaths = v; return this; }
        public Builder network(NetworkRecord v) { network = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder restart(RestartRecord v) { restart = v; return this; }

        public ContainerState build() {
            return new ContainerState(id, name, spec, imageId, command, status, pid, pidStartTime, monitorPid, created,
                    started, finished, exitCode, oomKilled, error, logPath, rootfs, cgroupPaths, network, hostname, steps,
                    runnerPid, runnerStartTime, monitorStartTime, restart);
        }
    }
}
