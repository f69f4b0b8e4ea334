package dev.hutch.cli.oci;

import dev.hutch.HutchException;
import dev.hutch.cli.Invocation;
import dev.hutch.json.Json;
import dev.hutch.oci.OciCreate;
import dev.hutch.oci.OciExec;
import dev.hutch.oci.OciHost;
import dev.hutch.oci.OciRun;
import dev.hutch.oci.OciRuntime;
import dev.hutch.oci.OciState;
import dev.hutch.oci.OciStatus;
import dev.hutch.runtime.Signals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** runc's verbs: each parses its flags, calls the engine's OCI runtime, prints what runc prints. */
final class OciCommands {
    static final String HELP = """
            Usage: hutch oci [--root DIR] [--log FILE] [--log-format json|text] [--debug] COMMAND [OPTIONS] ID
                   (or hutch-runc ...: runc's command line; docs/oci.md)

            Commands:
              create    create a container from a bundle (--bundle DIR --pid-file FILE [--console-socket SOCK])
              start     run the created container's process
              run       create, start and wait (foreground)
              state     print the container's state as JSON
              kill      send a signal (default TERM) to the container's init, or to all with --all
              delete    remove a stopped container (--force: kill it first)
              exec      run a process in the container (--process process.json [--detach] [--pid-file FILE])
              list      list containers (--format table|json, -q)
              ps        pids of the container's processes (--format json)
              update    new cpu, memory, pids limits (--resources FILE, or - for stdin: linux.resources JSON)
              pause     freeze every process of the container
              resume    thaw them
              features  what this runtime supports, as JSON
            """;

    private final OciHost host;
    private final Invocation inv;
    private final OciLog log;

    OciCommands(OciHost host, Invocation inv, OciLog log) {
        this.host = host;
        this.inv = inv;
        this.log = log;
    }

    int run(String verb, List<String> args) throws Exception {
        return switch (verb) {
            case "create" -> create(args);
            case "start" -> simple(args, "start", id -> new OciRuntime(host, log::warn).start(id));
            case "run" -> run(args);
            case "state" -> state(args);
            case "kill" -> kill(args);
            case "delete" -> delete(args);
            case "exec" -> exec(args);
            case "list" -> list(args);
            case "ps" -> ps(args);
            case "pause" -> simple(args, "pause", id -> new OciRuntime(host).pause(id));
            case "resume" -> simple(args, "resume", id -> new OciRuntime(host).resume(id));
            case "features" -> { inv.out().println(Json.pretty(OciFeatures.json())); yield 0; }
            case "update" -> update(args);
            case "checkpoint", "restore", "events", "spec" ->
                    throw new HutchException("\"" + verb + "\" is not supported by hutch's OCI runtime yet (docs/oci.md)");
            default -> throw new HutchException("No help topic for '" + verb + "' (hutch oci --help lists the commands)");
        };
    }

    private Path path(String p) { return p == null ? null : inv.cwd().resolve(p); }

    private static OciArgs createFlags() {
        return new OciArgs().value("bundle", "b").value("pid-file").value("console-socket").value("preserve-fds")
                .bool("no-pivot").bool("no-new-keyring").bool("detach", "d").bool("keep").bool("no-subreaper");
    }

    private OciCreate.Request createRequest(OciArgs a, String verb) {
        String fds = a.get("preserve-fds");
        if (fds != null && !fds.equals("0"))
            throw new HutchException("--preserve-fds " + fds + " is not supported: hutch passes no descriptors above 2 into a container");
        // --no-pivot: hutch always pivots (a safer root); --no-new-keyring: hutch makes no session keyring anyway
        if (a.has("no-pivot")) log.debug("--no-pivot ignored: hutch always uses pivot_root");
        String bundle = a.get("bundle");
        return new OciCreate.Request(a.id(verb), bundle == null ? inv.cwd() : path(bundle), path(a.get("pid-file")),
                path(a.get("console-socket")));
    }

    private int create(List<String> args) {
        OciArgs a = createFlags().parse(args);
        new OciCreate(host, log::warn).create(createRequest(a, "create"));
        return 0;
    }

    private int run(List<String> args) {
        OciArgs a = createFlags().parse(args);
        if (a.has("detach")) {
            OciCreate.Request r = createRequest(a, "run");
            new OciCreate(host, log::warn).create(r);
            new OciRuntime(host, log::warn).start(r.id());
            return 0;
        }
        return new OciRun(host).run(createRequest(a, "run"), a.has("keep"), log::warn);
    }

    @FunctionalInterface
    private interface Verb { void apply(String id) throws Exception; }

    private int simple(List<String> args, String verb, Verb v) throws Exception {
        v.apply(new OciArgs().parse(args).id(verb));
        return 0;
    }

    private int state(List<String> args) {
        String id = new OciArgs().parse(args).id("state");
        OciState s = host.store().load(id);
        inv.out().println(Json.pretty(stateJson(s, new OciRuntime(host).status(s))));
        return 0;
    }

    private static Map<String, Object> stateJson(OciState s, OciStatus status) { return dev.hutch.oci.OciStateJson.of(s, status); }

    private int kill(List<String> args) {
        OciArgs a = new OciArgs().bool("all", "a").parse(args);
        String id = a.id("kill");
        String sig = a.positional().size() > 1 ? a.positional().get(1) : "TERM";
        new OciRuntime(host).kill(id, Signals.parse(sig), a.has("all"));
        return 0;
    }

    private int delete(List<String> args) {
        OciArgs a = new OciArgs().bool("force", "f").parse(args);
        new OciRuntime(host, log::warn).delete(a.id("delete"), a.has("force"));
        return 0;
    }

    private int exec(List<String> args) throws Exception {
        OciArgs a = new OciArgs().value("process", "p").bool("detach", "d").value("pid-file").value("console-socket")
                .bool("tty", "t").value("cwd").value("env", "e").value("user", "u").value("preserve-fds")
                .bool("no-new-privs").value("cap", "c").value("process-label").value("apparmor")
                .value("additional-gids", "g").bool("ignore-paused").value("cgroup")
                .flagsEndAfterPositionals(1).parse(args);
        String id = a.id("exec");
        Path process = path(a.get("process"));
        if (process == null) process = OciExecProcess.write(host.store().dir(id), a);
        Boolean tty = a.get("tty") == null ? null : a.has("tty");
        return new OciExec(host).exec(new OciExec.Request(id, process, a.has("detach"), path(a.get("pid-file")),
                path(a.get("console-socket")), tty));
    }

    private int update(List<String> args) throws Exception {
        OciArgs a = new OciArgs().value("resources", "r").parse(args);
        String id = a.id("update");
        String file = a.get("resources");
        if (file == null)
            throw new HutchException("update: --resources FILE (or - for stdin) is required; runc's per-limit flags are not supported");
        String json = file.equals("-") ? new String(inv.in().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                : java.nio.file.Files.readString(path(file));
        new OciRuntime(host).update(id, json);
        return 0;
    }

    private int list(List<String> args) {
        OciArgs a = new OciArgs().value("format", "f").bool("quiet", "q").parse(args);
        OciRuntime runtime = new OciRuntime(host);
        List<Object> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-12s %-10s %-10s %-40s %-31s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"));
        for (String id : host.store().ids()) {
            OciState s = host.store().load(id);
            OciStatus st = runtime.status(s);
            if (a.has("quiet")) { inv.out().println(id); continue; }
            rows.add(stateJson(s, st));
            table.append(String.format("%-12s %-10d %-10s %-40s %-31s %s%n", id, st == OciStatus.STOPPED ? 0 : s.pid(), st.text(), s.bundle(), s.created(), "root"));
        }
        if (a.has("quiet")) return 0;
        String format = a.get("format") == null ? "table" : a.get("format");
        if (format.equals("json")) inv.out().println(Json.write(rows));
        else if (format.equals("table")) inv.out().print(table);
        else throw new HutchException("invalid format option: " + format + " (table or json)");
        return 0;
    }

    private int ps(List<String> args) throws Exception {
        OciArgs a = new OciArgs().value("format", "f").flagsEndAfterPositionals(1).parse(args);
        String id = a.id("ps");
        List<Long> pids = new OciRuntime(host).pids(id);
        String format = a.get("format") == null ? "table" : a.get("format");
        if (format.equals("json")) {
            inv.out().println(Json.write(pids));
            return 0;
        }
        if (!format.equals("table")) throw new HutchException("invalid format option: " + format + " (table or json)");
        // runc runs ps(1) with the given options (default -ef) and keeps the container's rows
        List<String> cmd = new ArrayList<>(List.of("ps"));
        List<String> psArgs = a.positional().subList(1, a.positional().size());
        cmd.addAll(psArgs.isEmpty() ? List.of("-f") : psArgs);
        if (pids.isEmpty()) return 0;
        cmd.add("-p");
        cmd.add(String.join(",", pids.stream().map(String::valueOf).toList()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        inv.out().write(p.getInputStream().readAllBytes());
        p.waitFor();
        return 0;
    }
}
