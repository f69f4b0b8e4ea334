package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.layer.HelperMount;
import dev.hutch.runtime.ChildStdio;
import dev.hutch.runtime.ContainerLauncher;
import dev.hutch.runtime.DockerDefaults;
import dev.hutch.runtime.LaunchFile;
import dev.hutch.util.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code create}: the container set up to its last step and waiting on its start FIFO.
 *
 * <p>Order: plan (nothing changed yet) → state dir → cgroup under hutch's parent → helper (its
 * monitor clones init into the cgroup, init sets everything up, sends the pty to the console
 * socket, says it is ready) → the monitor exits, so init is re-parented to our caller, a child
 * subreaper (conmon, containerd's shim), whose wait gets the container's exit status → state and
 * pid file. A failure at any step undoes the earlier ones: nothing is left but the error.
 */
public final class OciCreate {
    /** @param consoleSocket null: the runtime's own stdio becomes the container's */
    public record Request(String id, Path bundle, Path pidFile, Path consoleSocket) {}

    private final OciHost host;
    private final Consumer<String> warn;

    public OciCreate(OciHost host, Consumer<String> warn) {
        this.host = host;
        this.warn = warn;
    }

    public OciState create(Request req) {
        OciStore store = host.store();
        Path dir = store.dir(req.id());
        if (Files.exists(dir)) throw new HutchException("container with id exists: " + req.id());
        Path bundle = req.bundle().toAbsolutePath().normalize();
        String config;
        try {
            config = Files.readString(bundle.resolve("config.json"));
        } catch (IOException e) {
            throw new HutchException("cannot read " + bundle.resolve("config.json") + ": " + e.getMessage()
                    + " (is --bundle the bundle directory?)");
        }
        OciPlan plan = OciPlanner.plan(config, bundle, host.pureCgroupV2());
        if (plan.process().terminal() && req.consoleSocket() == null)
            throw new HutchException("cannot allocate tty if runc will detach without setting console socket");
        if (!plan.process().terminal() && req.consoleSocket() != null)
            throw new HutchException("cannot use console socket if runc will not detach or allocate tty");
        if (!Files.isDirectory(Path.of(plan.rootfs())))
            throw new HutchException("config.json: root.path " + plan.rootfs() + " is not a directory");
        plan.warnings().forEach(warn);

        ContainerCgroup cgroup = null;
        boolean done = false;
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            cgroup = host.cgroups().create(OciHost.cgroupName(req.id()), plan.resources(), plan.deviceRules());
            OciState state = new OciState(req.id(), 0, 0, bundle.toString(), plan.rootfs(), Instant.now().toString(),
                    plan.annotations(), cgroup.paths().stream().map(Path::toString).toList(), plan.namespaces().created(),
                    plan.namespaces().joined(), plan.process().capabilities(), plan.process().noNewPrivileges(),
                    plan.seccompHex(), plan.hooks());
            store.save(state); // before the helper: a delete after a crash here still finds the cgroup
            LaunchFile launch = launchFile(req, plan, dir, cgroup);
            ContainerLauncher launcher = new ContainerLauncher(host.helper(), ChildStdio.inherited(), host.caller());
            final OciState creating = state;
            ContainerLauncher.Launched launched = launcher.launch(dir, launch, false, (pid, monitor) -> {
                // init's namespaces exist and it waits for "go": the runtime-spec's moment for these
                Map<String, Object> hookState = OciStateJson.of(creating.withPid(pid, 0), OciStatus.CREATED);
                OciHooks.run(plan.hooks(), "createRuntime", hookState);
                OciHooks.run(plan.hooks(), "prestart", hookState);
            });
            // The monitor leaves right after "started" (create's meaning: set up and waiting).
            if (!launched.monitor().waitFor(10, TimeUnit.SECONDS))
                throw new HutchException("the native helper did not leave after create");
            ProcStat stat = ProcStat.read(Path.of("/proc"), launched.initPid());
            if (stat == null) throw new HutchException("container init (pid " + launched.initPid() + ") died during create");
            state = state.withPid(launched.initPid(), stat.startTime());
            store.save(state);
            if (req.pidFile() != null) writePidFile(req.pidFile(), launched.initPid());
            done = true;
            return state;
        } catch (IOException e) {
            throw new HutchException("cannot create container " + req.id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while creating container " + req.id(), e);
        } finally {
            if (!done) {
                if (cgroup != null) cgroup.destroy(); // kills init if it got that far
                store.remove(req.id());
            }
        }
    }

    private static LaunchFile launchFile(Request req, OciPlan plan, Path dir, ContainerCgroup cgroup) {
        LaunchFile f = new LaunchFile();
        f.put("id", req.id());
        f.put("state_dir", dir.toString());
        f.put("sync_fifo", dir.resolve(ContainerLauncher.SYNC).toString());
        f.put("detach", false);
        f.put("engine_pid", ProcessHandle.current().pid());
        f.put("start_fifo", dir.resolve(OciStore.START_FIFO).toString());
        if (req.consoleSocket() != null) f.put("console_socket", req.consoleSocket().toAbsolutePath().toString());
        else f.put("inherit_stdio", true);
        f.put("namespaces", String.join(",", plan.namespaces().created()));
        f.putAll("join_ns", plan.namespaces().joined());
        // runc brings lo up in a network namespace of the container's own; nobody else will
        if (plan.namespaces().created().contains("net")) f.put("loopback_up", "1");
        for (Path p : cgroup.procsFiles()) f.put("cgroup_procs", p.toString());
        if (cgroup.oomFile() != null) f.put("oom_file", cgroup.oomFile().toString());
        if (plan.hostname() != null && !plan.hostname().isEmpty()) f.put("hostname", plan.hostname());
        f.put("rootfs", plan.rootfs());
        for (HelperMount m : plan.mounts()) f.put("mount", m.toLine());
        f.putAll("device", plan.deviceNodes());
        f.putAll("symlink", symlinks(plan));
        f.putAll("masked_path", plan.maskedPaths());
        f.putAll("readonly_path", plan.readonlyPaths());
        f.put("readonly_rootfs", plan.readonlyRootfs());
        // v2: the same allow-list as a BPF program on the container's cgroup (v1: the engine wrote it)
        if (cgroup.deviceProgramDir() != null)
            f.put("cgroup_device_bpf", dev.hutch.security.SecurityPlan.hex(
                    dev.hutch.cgroup.v2.DeviceProgram.compile(plan.deviceRules())) + " " + cgroup.deviceProgramDir());
        // written by init into its own /proc: the sysctls after the mounts, before /proc/sys turns read-only
        plan.sysctls().forEach((name, value) -> f.put("sysctl", name + " " + value));
        if (plan.process().kernel().oomScoreAdj() != null) f.put("oom_score_adj", plan.process().kernel().oomScoreAdj());
        plan.process().writeTo(f, true);
        if (plan.seccompHex() != null) f.put("seccomp", plan.seccompHex());
        plan.process().writeArgs(f);
        return f;
    }

    /** runc's /dev links, where /dev is a filesystem of the container's own (else the host's are there). */
    private static List<String> symlinks(OciPlan plan) {
        boolean ownDev = plan.mounts().stream().anyMatch(m -> m.target().equals("/dev"));
        return ownDev ? DockerDefaults.SYMLINKS : new ArrayList<>();
    }

    /** Whole or not at all: a caller reads it as soon as create exits. */
    static void writePidFile(Path pidFile, long pid) throws IOException {
        Path abs = pidFile.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(pid));
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
