package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.runtime.LaunchFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code exec --process FILE}: a process.json in a running container, through the helper's exec
 * (which joins init's namespaces and cgroups and is confined like the container: its
 * capabilities when process.json names none, its seccomp filter, no_new_privs if either asks).
 * Detached, the helper writes the pid file and leaves once the command runs, so the command is
 * re-parented to the caller, which reaps it.
 */
public final class OciExec {
    public record Request(String id, Path processFile, boolean detach, Path pidFile, Path consoleSocket, Boolean tty) {}

    /** runc's order for the namespaces of an exec: the helper sorts them itself (user first, mnt last). */
    private static final List<String> NS = List.of("cgroup", "ipc", "uts", "net", "pid", "mnt");

    private final OciHost host;
    private final OciRuntime runtime;

    public OciExec(OciHost host) {
        this.host = host;
        this.runtime = new OciRuntime(host);
    }

    /** @return the helper's exit code: the command's in the foreground, 0 once a detached one runs */
    public int exec(Request req) throws IOException, InterruptedException {
        OciState s = host.store().load(req.id());
        OciStatus st = runtime.status(s);
        if (st == OciStatus.STOPPED) throw new HutchException("cannot exec in a stopped container");
        if (st == OciStatus.PAUSED) throw new HutchException("cannot exec in a paused container");
        if (req.processFile() == null) throw new HutchException("exec: --process FILE is required (process.json of the runtime-spec)");
        Map<String, Object> json;
        try {
            json = Json.parseObject(Files.readString(req.processFile()));
        } catch (RuntimeException e) {
            throw new HutchException("process file " + req.processFile() + " is not valid JSON: " + e.getMessage());
        }
        ProcessPlan p = ProcessPlan.from(new JsonReader(json), s.capabilities());
        boolean tty = req.tty() != null ? req.tty() : p.terminal();
        if (tty && req.consoleSocket() == null && req.detach())
            throw new HutchException("cannot allocate tty if runc will detach without setting console socket");

        Path dir = host.store().dir(req.id());
        LaunchFile f = new LaunchFile();
        f.put("pid", s.pid());
        List<String> joined = new ArrayList<>();
        for (String ns : NS)
            if (s.namespaces().contains(ns) || s.joinedNamespaces().stream().anyMatch(j -> j.startsWith(ns + " "))) joined.add(ns);
        f.put("namespaces", String.join(",", joined));
        for (String c : s.cgroupPaths()) f.put("cgroup_procs", Path.of(c).resolve("cgroup.procs").toString());
        f.put("detach", req.detach());
        if (req.pidFile() != null) f.put("pid_file", req.pidFile().toAbsolutePath().toString());
        if (req.consoleSocket() != null) f.put("console_socket", req.consoleSocket().toAbsolutePath().toString());
        f.put("stdin", true); // the runtime's stdin is the command's, as its stdout and stderr are
        ProcessPlan confined = new ProcessPlan(p.args(), p.env(), p.cwd(), p.uid(), p.gid(), p.additionalGids(),
                p.capabilities(), p.noNewPrivileges() || s.noNewPrivileges(), tty, p.kernel());
        confined.writeTo(f, false);
        if (s.seccompHex() != null) f.put("seccomp", s.seccompHex());
        confined.writeArgs(f);

        Path execFile = Files.createTempFile(dir, "exec-", ".launch");
        try {
            Files.writeString(execFile, f.render());
            Process helper = new ProcessBuilder(host.helper().toString(), "exec", execFile.toString()).inheritIO().start();
            return helper.waitFor();
        } finally {
            Files.deleteIfExists(execFile);
        }
    }
}
