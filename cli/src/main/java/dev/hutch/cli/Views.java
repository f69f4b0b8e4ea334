package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.json.Json;
import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkRecord;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How containers look to a user: docker's inspect shape, ps status words, and {{.Path}} templates. */
public final class Views {
    private Views() {}

    public static Map<String, Object> inspect(ContainerState s, Engine engine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", s.id());
        m.put("Name", s.name());
        m.put("Created", str(s.created()));
        m.put("Path", s.command().isEmpty() ? "" : s.command().get(0));
        m.put("Args", s.command().size() > 1 ? s.command().subList(1, s.command().size()) : List.of());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", s.status().label());
        // docker: a restarting container counts as running (its process is between two runs)
        state.put("Running", s.isRunning() || s.status() == ContainerStatus.RESTARTING);
        state.put("Paused", s.status() == ContainerStatus.PAUSED);
        state.put("Restarting", s.status() == ContainerStatus.RESTARTING);
        state.put("OOMKilled", s.oomKilled());
        state.put("Pid", s.isRunning() ? s.pid() : 0);
        state.put("ExitCode", s.exitCode() == null ? 0 : s.exitCode());
        state.put("Error", s.error() == null ? "" : s.error());
        state.put("StartedAt", str(s.started()));
        state.put("FinishedAt", str(s.finished()));
        dev.hutch.state.HealthRecord health = engine.states().health(s);
        if (health != null) state.put("Health", health.toDocker());
        m.put("State", state);
        m.put("RestartCount", s.restart().count());
        m.put("Image", s.imageId());
        m.put("LogPath", s.logPath());
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Hostname", s.hostname());
        cfg.put("Image", s.spec().image());
        cfg.put("Cmd", s.command());
        cfg.put("Env", s.spec().process().env());
        cfg.put("WorkingDir", s.spec().process().workdir() == null ? "" : s.spec().process().workdir());
        cfg.put("User", s.spec().process().user() == null ? "" : s.spec().process().user());
        cfg.put("Tty", s.spec().process().tty());
        cfg.put("OpenStdin", s.spec().process().interactive());
        cfg.put("Labels", s.spec().labels());
        if (!s.spec().health().isDefault()) cfg.put("Healthcheck", dev.hutch.image.ImageConfig.healthcheckJson(s.spec().health()));
        m.put("Config", cfg);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("Resources", s.spec().resources().toJson());
        host.put("ReadonlyRootfs", s.spec().readOnlyRootfs());
        host.put("AutoRemove", s.spec().autoRemove());
        host.put("RestartPolicy", Map.of("Name", s.spec().restart().name(), "MaximumRetryCount", s.spec().restart().maxRetries()));
        host.put("NetworkMode", s.spec().primaryNetwork().network());
        host.put("PortBindings", s.spec().ports().stream().map(Object::toString).toList());
        host.put("Memory", orZero(s.spec().resources().memory()));
        host.put("MemorySwap", orZero(s.spec().resources().memorySwap()));
        host.put("NanoCpus", s.spec().resources().cpus() == null ? 0 : Math.round(s.spec().resources().cpus() * 1e9));
        host.put("CpuShares", orZero(s.spec().resources().cpuShares()));
        host.put("PidsLimit", orZero(s.spec().resources().pidsLimit()));
        // docker's words; "" where the container has a namespace of its own by default
        dev.hutch.spec.NamespaceSharing ns = s.spec().namespaces();
        host.put("IpcMode", ns.ipc() == null ? "private" : ns.ipc());
        host.put("PidMode", ns.pid() == null ? "" : ns.pid());
        host.put("UTSMode", ns.uts() == null ? "" : ns.uts());
        host.put("CgroupnsMode", ns.cgroupns() == null ? "private" : ns.cgroupns());
        host.put("VolumesFrom", s.spec().volumesFrom());
        m.put("HostConfig", host);
        m.put("Mounts", s.spec().mounts().stream().map(Views::mount).toList());
        m.put("NetworkSettings", networkSettings(s));
        m.put("GraphDriver", s.rootfs().toJson());
        Map<String, Object> hutch = new LinkedHashMap<>();
        hutch.put("MonitorPid", s.monitorPid());
        hutch.put("CgroupPaths", s.cgroupPaths());
        hutch.put("StateDir", engine.states().dir(s.id()).toString());
        hutch.put("Network", s.network().toMap());
        hutch.put("Steps", s.steps());
        m.put("Hutch", hutch);
        return m;
    }

    private static Object orZero(Number n) { return n == null ? 0 : n; }

    /** docker's Mounts entry: Type, Source, Destination, Mode, RW, Propagation. */
    private static Map<String, Object> mount(dev.hutch.spec.Mount x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", x.type().name().toLowerCase());
        if (x.type() == dev.hutch.spec.Mount.Type.VOLUME) m.put("Name", x.source());
        m.put("Source", x.source());
        m.put("Destination", x.target());
        m.put("Mode", x.readOnly() ? "ro" : "");
        m.put("RW", !x.readOnly());
        m.put("Propagation", x.type() == dev.hutch.spec.Mount.Type.BIND ? "rprivate" : "");
        return m;
    }

    /**
     * docker's NetworkSettings: the first network's address at the top (IPAddress, Gateway,
     * MacAddress, IPPrefixLen), each network under Networks.NAME, published ports as docker's
     * map {"80/tcp": [{"HostIp":..., "HostPort":...}]}, and SandboxKey (the netns file).
     */
    static Map<String, Object> networkSettings(ContainerState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        NetworkRecord r = s.network().isEmpty() ? null : s.network();
        List<Endpoint> eps = r == null ? List.of() : r.endpoints();
        Endpoint first = eps.isEmpty() ? null : eps.get(0);
        m.put("IPAddress", first == null ? "" : first.ip());
        m.put("IPPrefixLen", first == null ? 0 : first.prefixLength());
        m.put("Gateway", first == null || first.gateway() == null ? "" : first.gateway());
        m.put("MacAddress", first == null || first.mac() == null ? "" : first.mac());
        m.put("GlobalIPv6Address", first == null || first.ip6() == null ? "" : first.ip6());
        m.put("GlobalIPv6PrefixLen", first == null ? 0 : first.prefixLength6());
        m.put("IPv6Gateway", first == null || first.gateway6() == null ? "" : first.gateway6());
        Map<String, Object> ports = new LinkedHashMap<>();
        if (r != null && s.isRunning()) {
            for (PortMapping p : r.bindings()) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) ports.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new java.util.ArrayList<>());
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("HostIp", p.hostIp() == null ? "0.0.0.0" : p.hostIp());
                b.put("HostPort", Integer.toString(p.hostPort()));
                list.add(b);
            }
        }
        m.put("Ports", ports);
        m.put("SandboxKey", r == null || r.netnsFile() == null ? "" : r.netnsFile());
        Map<String, Object> nets = new LinkedHashMap<>();
        for (Endpoint e : eps) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("IPAddress", e.ip());
            n.put("IPPrefixLen", e.prefixLength());
            n.put("Gateway", e.gateway() == null ? "" : e.gateway());
            n.put("MacAddress", e.mac() == null ? "" : e.mac());
            n.put("GlobalIPv6Address", e.ip6() == null ? "" : e.ip6());
            n.put("GlobalIPv6PrefixLen", e.prefixLength6());
            n.put("IPv6Gateway", e.gateway6() == null ? "" : e.gateway6());
            n.put("Aliases", e.aliases());
            n.put("NetworkID", e.network());
            nets.put(e.network(), n);
        }
        if (r != null && eps.isEmpty() && !s.network().isEmpty()) nets.put(r.mode(), new LinkedHashMap<>());
        m.put("Networks", nets);
        return m;
    }

    /** docker's STATUS column: "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (0) 3 seconds ago", "Created". */
    public static String status(ContainerState s, Instant now) { return status(s, now, null); }

    /** With the health check's status: "Up 5 seconds (healthy)", "Up 1 second (health: starting)". */
    public static String status(ContainerState s, Instant now, dev.hutch.state.HealthRecord health) {
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + human(Duration.between(orNow(s.started(), now), now)) + (health == null ? ""
                    : health.status().equals("starting") ? " (health: starting)" : " (" + health.status() + ")");
            case RESTARTING -> "Restarting (" + (s.exitCode() == null ? -1 : s.exitCode()) + ") "
                    + human(Duration.between(orNow(s.finished(), now), now)) + " ago";
            case PAUSED -> "Up " + human(Duration.between(orNow(s.started(), now), now)) + " (Paused)";
            case EXITED -> "Exited (" + (s.exitCode() == null ? -1 : s.exitCode()) + ") "
                    + human(Duration.between(orNow(s.finished(), now), now)) + " ago";
            case DEAD -> "Dead (" + (s.isDamaged() ? s.error() : "interrupted at " + s.lastStep()) + ")";
        };
    }

    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 1) return "Less than a second";
        if (s < 60) return s + (s == 1 ? " second" : " seconds");
        long m = s / 60;
        if (m < 60) return m == 1 ? "About a minute" : m + " minutes";
        long h = m / 60;
        if (h < 48) return h == 1 ? "About an hour" : h + " hours";
        return (h / 24) + " days";
    }

    private static Instant orNow(Instant i, Instant now) { return i == null ? now : i; }

    private static String str(Instant i) { return i == null ? "0001-01-01T00:00:00Z" : i.toString(); }

    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*(json\\s+)?((?:\\.[A-Za-z0-9_]+)*|\\.)\\s*}}");

    /** A small subset of Go templates: {{.A.B}} and {{json .A}}. */
    @SuppressWarnings("unchecked")
    public static String template(String format, Object root) {
        Matcher m = FIELD.matcher(format);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = root;
            String path = m.group(2);
            if (!path.equals(".")) {
                for (String part : path.substring(1).split("\\.")) {
                    v = v instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(part) : null;
                }
            }
            String text = m.group(1) != null ? Json.write(v) : v instanceof Map || v instanceof List ? Json.write(v) : String.valueOf(v);
            m.appendReplacement(sb, Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
