package dev.hutch.cli.api;

import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkRecord;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.Mount;
import dev.hutch.spec.Resources;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * hutch's container records in the shapes of Docker's API: the list entry of
 * {@code GET /containers/json} and the document of {@code GET /containers/{id}/json}. Field names
 * and zero values are Docker's ("0001-01-01T00:00:00Z" for a time that never was).
 */
final class ContainerShapes {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerShapes() {}

    /** A container's record on disk, as the shapes read it. */
    record View(String id, String name, ContainerSpec spec, String imageId, List<String> command, ContainerStatus status,
                long pid, Instant created, Instant started, Instant finished, Integer exitCode, boolean oomKilled,
                String error, String hostname, String logPath, NetworkRecord network, int restartCount,
                dev.hutch.state.HealthRecord health) {
        static View of(ContainerState s) { return of(s, null); }

        /** @param health the health check's record (StateStore#health), or null */
        static View of(ContainerState s, dev.hutch.state.HealthRecord health) {
            return new View(s.id(), s.name(), s.spec(), s.imageId(), s.command(), s.status(), s.pid(), s.created(), s.started(),
                    s.finished(), s.exitCode(), s.oomKilled(), s.error(), s.hostname(), s.logPath(), s.network(),
                    s.restart().count(), health);
        }

        boolean running() { return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED; }
    }

    static Map<String, Object> summary(View v) { return summary(v, Map.of()); }

    /** @param networkIds network name to id, for each network entry's NetworkID (Testcontainers matches networks by it) */
    static Map<String, Object> summary(View v, Map<String, String> networkIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", v.id);
        m.put("Names", List.of("/" + v.name));
        m.put("Image", v.spec.image());
        m.put("ImageID", v.imageId == null ? "" : v.imageId);
        m.put("Command", String.join(" ", v.command == null ? List.of() : v.command));
        m.put("Created", v.created == null ? 0 : v.created.getEpochSecond());
        m.put("Ports", PortBindings.summary(published(v)));
        m.put("Labels", new LinkedHashMap<>(v.spec.labels()));
        m.put("State", v.status.label());
        m.put("Status", statusText(v, Instant.now()));
        m.put("HostConfig", Map.of("NetworkMode", networkMode(v.spec)));
        m.put("NetworkSettings", Map.of("Networks", networks(v, networkIds)));
        m.put("Mounts", mounts(v.id, v.spec));
        return m;
    }

    /** docker ps's STATUS column: "Up 3 seconds", "Exited (137) 2 minutes ago", "Created". */
    static String statusText(View v, Instant now) {
        return switch (v.status) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + human(v.started, now) + (v.health == null ? ""
                    : v.health.status().equals("starting") ? " (health: starting)" : " (" + v.health.status() + ")");
            case RESTARTING -> "Restarting (" + (v.exitCode == null ? -1 : v.exitCode) + ") " + human(v.finished, now) + " ago";
            case PAUSED -> "Up " + human(v.started, now) + " (Paused)";
            case EXITED -> "Exited (" + (v.exitCode == null ? -1 : v.exitCode) + ") " + human(v.finished, now) + " ago";
            case DEAD -> "Dead";
        };
    }

    /** docker's HumanDuration, in its words. */
    static String human(Instant since, Instant now) {
        if (since == null) return "Less than a second";
        long s = Math.max(0, Duration.between(since, now).toSeconds());
        if (s < 1) return "Less than a second";
        if (s == 1) return "1 second";
        if (s < 60) return s + " seconds";
        long min = s / 60;
        if (min == 1) return "About a minute";
        if (min < 60) return min + " minutes";
        long h = Math.round(s / 3600.0);
        if (h == 1) return "About an hour";
        if (h < 48) return h + " hours";
        if (h < 24 * 7 * 2) return h / 24 + " days";
        return h / 24 / 7 + " weeks";
    }

    static Map<String, Object> inspect(View v) { return inspect(v, Map.of()); }

    static Map<String, Object> inspect(View v, Map<String, String> networkIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", v.id);
        m.put("Created", time(v.created));
        List<String> argv = v.command == null ? List.of() : v.command;
        m.put("Path", argv.isEmpty() ? "" : argv.get(0));
        m.put("Args", argv.size() > 1 ? argv.subList(1, argv.size()) : List.of());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", v.status.label());
        state.put("Running", v.running() || v.status == ContainerStatus.RESTARTING);
        state.put("Paused", v.status == ContainerStatus.PAUSED);
        state.put("Restarting", v.status == ContainerStatus.RESTARTING);
        state.put("OOMKilled", v.oomKilled);
        state.put("Dead", v.status == ContainerStatus.DEAD);
        state.put("Pid", v.running() ? v.pid : 0);
        state.put("ExitCode", v.exitCode == null ? 0 : v.exitCode);
        state.put("Error", v.error == null ? "" : v.error);
        state.put("StartedAt", time(v.started));
        state.put("FinishedAt", time(v.finished));
        if (v.health != null) state.put("Health", v.health.toDocker());
        m.put("State", state);
        m.put("Image", v.imageId == null ? "" : v.imageId);
        m.put("LogPath", v.logPath == null ? "" : v.logPath);
        m.put("Name", "/" + v.name);
        m.put("RestartCount", v.restartCount);
        m.put("Driver", "hutch");
        m.put("Platform", "linux");
        m.put("HostConfig", hostConfig(v.spec));
        m.put("Mounts", mounts(v.id, v.spec));
        m.put("Config", config(v));
        m.put("NetworkSettings", networkSettings(v, networkIds));
        return m;
    }

    private static Map<String, Object> config(View v) {
        ContainerSpec s = v.spec;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Hostname", v.hostname == null ? "" : v.hostname);
        c.put("User", s.process().user() == null ? "" : s.process().user());
        c.put("Tty", s.process().tty());
        c.put("OpenStdin", s.process().interactive());
        c.put("Env", s.process().env());
        c.put("Cmd", s.process().command().isEmpty() ? null : s.process().command());
        c.put("Image", s.image());
        c.put("WorkingDir", s.process().workdir() == null ? "" : s.process().workdir());
        c.put("Entrypoint", s.process().entrypoint());
        c.put("Labels", new LinkedHashMap<>(s.labels()));
        return c;
    }

    private static Map<String, Object> hostConfig(ContainerSpec s) {
        Resources r = s.resources();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Binds", binds(s));
        h.put("NetworkMode", networkMode(s));
        h.put("PortBindings", PortBindings.requested(s.ports()));
        h.put("AutoRemove", s.autoRemove());
        h.put("RestartPolicy", Map.of("Name", s.restart().name(), "MaximumRetryCount", s.restart().maxRetries()));
        h.put("ReadonlyRootfs", s.readOnlyRootfs());
        h.put("Memory", r.memory() == null ? 0 : r.memory());
        h.put("MemorySwap", r.memorySwap() == null ? 0 : r.memorySwap());
        h.put("MemoryReservation", r.memoryReservation() == null ? 0 : r.memoryReservation());
        h.put("NanoCpus", r.cpus() == null ? 0 : Math.round(r.cpus() * 1e9));
        h.put("CpuShares", r.cpuShares() == null ? 0 : r.cpuShares());
        h.put("CpuPeriod", r.cpuPeriod() == null ? 0 : r.cpuPeriod());
        h.put("CpuQuota", r.cpuQuota() == null ? 0 : r.cpuQuota());
        h.put("CpusetCpus", r.cpusetCpus() == null ? "" : r.cpusetCpus());
        h.put("PidsLimit", r.pidsLimit() == null ? 0 : r.pidsLimit());
        // docker's words; "private" and "" where the container has a namespace of its own by default
        dev.hutch.spec.NamespaceSharing ns = s.namespaces();
        h.put("IpcMode", ns.ipc() == null ? "private" : ns.ipc());
        h.put("PidMode", ns.pid() == null ? "" : ns.pid());
        h.put("UTSMode", ns.uts() == null ? "" : ns.uts());
        h.put("CgroupnsMode", ns.cgroupns() == null ? "private" : ns.cgroupns());
        h.put("VolumesFrom", s.volumesFrom());
        h.put("BlkioDeviceReadIOps", r.deviceReadIops().stream().map(d -> Map.of("Path", d.path(), "Rate", d.perSecond())).toList());
        h.put("BlkioDeviceWriteIOps", r.deviceWriteIops().stream().map(d -> Map.of("Path", d.path(), "Rate", d.perSecond())).toList());
        h.put("BlkioWeightDevice", r.blkioWeightDevice().stream().map(d -> Map.of("Path", d.path(), "Weight", d.weight())).toList());
        return h;
    }

    private static List<String> binds(ContainerSpec s) {
        List<String> out = new ArrayList<>();
        for (Mount mt : s.mounts())
            if (mt.type() == Mount.Type.BIND) out.add(mt.source() + ":" + mt.target() + (mt.readOnly() ? ":ro" : ""));
        return out;
    }

    /** A volume's entry names it (an anonymous one by the name the engine gave it) as dockerd's does. */
    private static List<Map<String, Object>> mounts(String id, ContainerSpec s) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Mount> all = s.mounts();
        for (int i = 0; i < all.size(); i++) {
            Mount mt = all.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", mt.type().name().toLowerCase());
            if (mt.type() == Mount.Type.VOLUME) {
                m.put("Name", mt.source() == null || mt.source().isEmpty() ? dev.hutch.volume.HostVolumes.anonymousName(id, i) : mt.source());
                m.put("Driver", "local");
            }
            m.put("Source", mt.source() == null ? "" : mt.source());
            m.put("Destination", mt.target());
            m.put("RW", !mt.readOnly());
            out.add(m);
        }
        return out;
    }

    /** Per network: the address the engine leased, its gateway and the container's MAC, as docker names them. */
    private static Map<String, Object> networks(View v, Map<String, String> networkIds) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!v.running()) {
            // as dockerd: a created or stopped container lists the endpoints its next start makes, without addresses
            for (dev.hutch.spec.NetworkAttachment a : recordedNetworks(v.spec)) {
                Map<String, Object> n = new LinkedHashMap<>();
                Map<String, Object> ipam = new LinkedHashMap<>();
                if (a.ipv4() != null) ipam.put("IPv4Address", a.ipv4());
                if (a.ipv6() != null) ipam.put("IPv6Address", a.ipv6());
                if (!ipam.isEmpty()) n.put("IPAMConfig", ipam);
                n.put("NetworkID", networkIds.getOrDefault(a.network(), ""));
                n.put("IPAddress", "");
                n.put("IPPrefixLen", 0);
                n.put("Gateway", "");
                n.put("MacAddress", a.macAddress() == null ? "" : a.macAddress());
                n.put("GlobalIPv6Address", "");
                n.put("GlobalIPv6PrefixLen", 0);
                n.put("IPv6Gateway", "");
                n.put("Aliases", a.aliases());
                out.put(a.network(), n);
            }
            return out;
        }
        if (v.network == null) return out;
        for (Endpoint e : v.network.endpoints()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("NetworkID", networkIds.getOrDefault(e.network(), ""));
            n.put("IPAddress", e.ip() == null ? "" : e.ip());
            n.put("IPPrefixLen", e.prefixLength());
            n.put("Gateway", e.gateway() == null ? "" : e.gateway());
            n.put("MacAddress", e.mac() == null ? "" : e.mac());
            n.put("GlobalIPv6Address", e.ip6() == null ? "" : e.ip6());
            n.put("GlobalIPv6PrefixLen", e.prefixLength6());
            n.put("IPv6Gateway", e.gateway6() == null ? "" : e.gateway6());
            n.put("Aliases", e.aliases());
            out.put(e.network(), n);
        }
        return out;
    }

    /** The endpoints a container's spec asks for (bridge or user networks; none, host and container: modes have none). */
    static List<dev.hutch.spec.NetworkAttachment> recordedNetworks(ContainerSpec s) {
        List<dev.hutch.spec.NetworkAttachment> all = s.networks().isEmpty() ? List.of(s.primaryNetwork()) : s.networks();
        return all.stream().filter(dev.hutch.spec.NetworkAttachment::needsInterface).toList();
    }

    private static Map<String, Object> networkSettings(View v, Map<String, String> networkIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        Endpoint first = v.network == null || v.network.endpoints().isEmpty() ? null : v.network.endpoints().get(0);
        m.put("IPAddress", first == null || first.ip() == null ? "" : first.ip());
        m.put("IPPrefixLen", first == null ? 0 : first.prefixLength());
        m.put("Gateway", first == null || first.gateway() == null ? "" : first.gateway());
        m.put("MacAddress", first == null || first.mac() == null ? "" : first.mac());
        m.put("GlobalIPv6Address", first == null || first.ip6() == null ? "" : first.ip6());
        m.put("GlobalIPv6PrefixLen", first == null ? 0 : first.prefixLength6());
        m.put("IPv6Gateway", first == null || first.gateway6() == null ? "" : first.gateway6());
        m.put("SandboxKey", v.network == null || v.network.netnsFile() == null ? "" : v.network.netnsFile());
        m.put("Ports", PortBindings.settings(published(v)));
        m.put("Networks", networks(v, networkIds));
        return m;
    }

    /** The ports published while it runs, with the host ports the engine chose. */
    private static List<dev.hutch.spec.PortMapping> published(View v) {
        return v.running() && v.network != null ? v.network.bindings() : List.of();
    }

    static String networkMode(ContainerSpec s) {
        return s.networks().isEmpty() ? "default" : s.primaryNetwork().network();
    }

    static String time(Instant t) { return t == null ? ZERO_TIME : t.toString(); }

}
