package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that describes one container, and nothing about the host. The CLI's flags and the
 * DSL's builders both produce exactly this; {@link SpecValidator} checks it before the engine
 * touches anything.
 *
 * @param name      null to let the engine pick one
 * @param networks  empty means the default bridge network
 * @param autoRemove docker's {@code --rm}
 * @param security  privilege, capabilities, seccomp, devices (never null; the default is docker's)
 * @param log       log rotation ({@code --log-opt}); null means {@link LogConfig#DEFAULT}
 * @param names     {@code --dns}, {@code --dns-search}, {@code --dns-option}, {@code --add-host}
 * @param stop      {@code --stop-signal}, {@code --stop-timeout}
 * @param exposure  {@code --expose}, {@code -P}
 * @param namespaces {@code --ipc}, {@code --pid}, {@code --uts}, {@code --cgroupns}
 * @param volumesFrom {@code --volumes-from}, as given (CONTAINER[:ro|rw])
 * @param restart   {@code --restart}, carried out by the container's monitor
 * @param health    {@code --health-*}; {@link HealthCheck#NONE} leaves the image's HEALTHCHECK in force
 */
public record ContainerSpec(String name, String image, ProcessSpec process, String hostname, boolean readOnlyRootfs,
                            Resources resources, List<Mount> mounts, List<NetworkAttachment> networks,
                            List<PortMapping> ports, Map<String, String> labels, boolean autoRemove,
                            SecurityOptions security, LogConfig log, KernelOptions kernel, NameResolution names,
                            StopPolicy stop, PortExposure exposure, NamespaceSharing namespaces,
                            List<String> volumesFrom, RestartPolicy restart, HealthCheck health)
        implements JsonWritable {

    public ContainerSpec {
        process = process == null ? ProcessSpec.of() : process;
        resources = resources == null ? Resources.NONE : resources;
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        networks = List.copyOf(networks == null ? List.of() : networks);
        ports = List.copyOf(ports == null ? List.of() : ports);
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        security = security == null ? SecurityOptions.DEFAULT : security;
        log = log == null ? LogConfig.DEFAULT : log;
        kernel = kernel == null ? KernelOptions.DEFAULT : kernel;
        names = names == null ? NameResolution.DEFAULT : names;
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        exposure = exposure == null ? PortExposure.NONE : exposure;
        namespaces = namespaces == null ? NamespaceSharing.DEFAULT : namespaces;
        volumesFrom = List.copyOf(volumesFrom == null ? List.of() : volumesFrom);
        restart = restart == null ? RestartPolicy.NO : restart;
        health = health == null ? HealthCheck.NONE : health;
    }

    /** Without namespace sharing, --volumes-from, a restart policy or a health check. */
    public ContainerSpec(String name, String image, ProcessSpec process, String hostname, boolean readOnlyRootfs,
                         Resources resources, List<Mount> mounts, List<NetworkAttachment> networks,
                         List<PortMapping> ports, Map<String, String> labels, boolean autoRemove,
                         SecurityOptions security, LogConfig log, KernelOptions kernel, NameResolution names,
                         StopPolicy stop, PortExposure exposure) {
        this(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, ports, labels, autoRemove,
                security, log, kernel, names, stop, exposure, null, null, null, null);
    }

    /** Without --expose and -P. */
    public ContainerSpec(String name, String image, ProcessSpec process, String hostname, boolean readOnlyRootfs,
                         Resources resources, List<Mount> mounts, List<NetworkAttachment> networks,
                         List<PortMapping> ports, Map<String, String> labels, boolean autoRemove,
                         SecurityOptions security, LogConfig log, KernelOptions kernel, NameResolution names,
                         StopPolicy stop) {
        this(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, ports, labels, autoRemove,
                security, log, kernel, names, stop, null);
    }

    /** Without name-resolution and stop settings: docker's defaults. */
    public ContainerSpec(String name, String image, ProcessSpec process, String hostname, boolean readOnlyRootfs,
                         Resources resources, List<Mount> mounts, List<NetworkAttachment> networks,
                         List<PortMapping> ports, Map<String, String> labels, boolean autoRemove,
                         SecurityOptions security, LogConfig log, KernelOptions kernel) {
        this(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, ports, labels, autoRemove,
                security, log, kernel, null, null, null);
    }

    /** Without kernel options: the kernel's and docker's defaults. */
    public ContainerSpec(String name, String image, ProcessSpec process, String hostname, boolean readOnlyRootfs,
                         Resources resources, List<Mount> mounts, List<NetworkAttachment> networks,
                         List<PortMapping> ports, Map<String, String> labels, boolean autoRemove,
                         SecurityOptions security, LogConfig log) {
        this(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, ports, labels, autoRemove,
                security, log, null, null, null, null);
    }

    /** A spec with docker's default security and the default log rotation. */
    public ContainerSpec(String name, String image, ProcessSpec process, String hostname, boolean readOnlyRootfs,
                         Resources resources, List<Mount> mounts, List<NetworkAttachment> networks,
                         List<PortMapping> ports, Map<String, String> labels, boolean autoRemove) {
        this(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, ports, labels, autoRemove, null, null);
    }

    /** The first network attachment, or the default bridge when none was asked for. */
    public NetworkAttachment primaryNetwork() {
        return networks.isEmpty() ? NetworkAttachment.of(NetworkAttachment.BRIDGE) : networks.get(0);
    }

    public ContainerSpec withResources(Resources r) {
        return new ContainerSpec(name, image, process, hostname, readOnlyRootfs, r, mounts, networks, ports, labels,
                autoRemove, security, log, kernel, names, stop, exposure, namespaces, volumesFrom, restart, health);
    }

    public ContainerSpec withStop(StopPolicy s) {
        return new ContainerSpec(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, ports, labels,
                autoRemove, security, log, kernel, names, s, exposure, namespaces, volumesFrom, restart, health);
    }

    public ContainerSpec withPorts(List<PortMapping> p) {
        return new ContainerSpec(name, image, process, hostname, readOnlyRootfs, resources, mounts, networks, p, labels,
                autoRemove, security, log, kernel, names, stop, exposure, namespaces, volumesFrom, restart, health);
    }

    /** The same container on other networks (docker network connect/disconnect of a container that does not run). */
    public ContainerSpec withNetworks(List<NetworkAttachment> n) {
        return new ContainerSpec(name, image, process, hostname, readOnlyRootfs, resources, mounts, n, ports, labels,
                autoRemove, security, log, kernel, names, stop, exposure, namespaces, volumesFrom, restart, health);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (name != null) m.put("name", name);
        m.put("image", image);
        m.put("process", process.toJson());
        if (hostname != null) m.put("hostname", hostname);
        m.put("readOnlyRootfs", readOnlyRootfs);
        m.put("resources", resources.toJson());
        m.put("mounts", mounts.stream().map(Mount::toJson).toList());
        m.put("networks", networks.stream().map(NetworkAttachment::toJson).toList());
        m.put("ports", ports.stream().map(PortMapping::toJson).toList());
        m.put("labels", new LinkedHashMap<>(labels));
        m.put("autoRemove", autoRemove);
        if (!security.isDefault()) m.put("security", security.toJson());
        m.put("log", log.toJson());
        if (!kernel.isDefault()) m.put("kernel", kernel.toJson());
        if (!names.isDefault()) m.put("names", names.toJson());
        if (!stop.isDefault()) m.put("stop", stop.toJson());
        if (!exposure.isDefault()) m.put("exposure", exposure.toJson());
        if (!namespaces.isDefault()) m.put("namespaces", namespaces.toJson());
        if (!volumesFrom.isEmpty()) m.put("volumesFrom", volumesFrom);
        if (!restart.isDefault()) m.put("restart", restart.toJson());
        if (!health.isDefault()) m.put("health", health.toJson());
        return m;
    }

    public static ContainerSpec fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new ContainerSpec(r.string("name"), r.string("image"), ProcessSpec.fromJson(r.raw().get("process")),
                r.string("hostname"), r.bool("readOnlyRootfs", false), Resources.fromJson(r.raw().get("resources")),
                r.list("mounts").stream().map(Mount::fromJson).toList(),
                r.list("networks").stream().map(NetworkAttachment::fromJson).toList(),
                r.list("ports").stream().map(PortMapping::fromJson).toList(),
                r.stringMap("labels"), r.bool("autoRemove", false), SecurityOptions.fromJson(r.raw().get("security")),
                LogConfig.fromJson(r.raw().get("log")), KernelOptions.fromJson(r.raw().get("kernel")),
                NameResolution.fromJson(r.raw().get("names")), StopPolicy.fromJson(r.raw().get("stop")),
                PortExposure.fromJson(r.raw().get("exposure")), NamespaceSharing.fromJson(r.raw().get("namespaces")),
                r.strings("volumesFrom"), RestartPolicy.fromJson(r.raw().get("restart")),
                HealthCheck.fromJson(r.raw().get("health")));
    }

    public static Builder builder(String image) { return new Builder().image(image); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name; b.image = image; b.process = process.toBuilder(); b.hostname = hostname;
        b.readOnlyRootfs = readOnlyRootfs; b.resources = resources.toBuilder(); b.mounts.addAll(mounts);
        b.networks.addAll(networks); b.ports.addAll(ports); b.labels.putAll(labels); b.autoRemove = autoRemove;
        b.security = security.toBuilder();
        b.log = log;
        b.kernel = kernel.toBuilder();
        b.names = names.toBuilder();
        b.stop = stop;
        b.exposure = exposure;
        b.namespaces = namespaces;
        b.volumesFrom.addAll(volumesFrom);
        b.restart = restart;
        b.health = health;
        return b;
    }

    public static final class Builder {
        private String name, image, hostname;
        private ProcessSpec.Builder process = ProcessSpec.builder();
        private Resources.Builder resources = Resources.builder();
        private SecurityOptions.Builder security = SecurityOptions.builder();
        private KernelOptions.Builder kernel = KernelOptions.builder();
        private NameResolution.Builder names = NameResolution.builder();
        private StopPolicy stop;
        private PortExposure exposure;
        private NamespaceSharing namespaces;
        private RestartPolicy restart;
        private HealthCheck health;
        private final List<String> volumesFrom = new ArrayList<>();
        private boolean readOnlyRootfs, autoRemove;
        private LogConfig log;
        private final List<Mount> mounts = new ArrayList<>();
        private final List<NetworkAttachment> networks = new ArrayList<>();
        private final List<PortMapping> ports = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();

        public Builder name(String v) { name = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder readOnlyRootfs(boolean v) { readOnlyRootfs = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder log(LogConfig v) { log = v; return this; }
        public Builder command(String... v) { process.command(List.of(v)); return this; }
        public Builder command(List<String> v) { process.command(v); return this; }
        public Builder mount(Mount m) { mounts.add(m); return this; }
        /** Drops the mounts added so far (to put them back in another order or with others). */
        public Builder clearMounts() { mounts.clear(); return this; }
        public Builder network(NetworkAttachment n) { networks.add(n); return this; }
        public Builder network(String n) { networks.add(NetworkAttachment.of(n)); return this; }
        public Builder port(PortMapping p) { ports.add(p); return this; }
        public Builder label(String k, String v) { labels.put(k, v); return this; }
        /** The process part, to set env, user, workdir, tty and so on. */
        public ProcessSpec.Builder process() { return process; }
        /** The resources part, to set limits. */
        public Resources.Builder resources() { return resources; }
        /** The security part: privileged, capabilities, seccomp, devices. */
        public SecurityOptions.Builder security() { return security; }
        /** The kernel part: sysctls, ulimits, OOM score, /dev/shm size, extra groups. */
        public KernelOptions.Builder kernel() { return kernel; }
        /** The name-resolution part: DNS servers, search domains and options, extra hosts. */
        public NameResolution.Builder names() { return names; }
        public Builder stop(StopPolicy v) { stop = v; return this; }
        public Builder exposure(PortExposure v) { exposure = v; return this; }
        public Builder namespaces(NamespaceSharing v) { namespaces = v; return this; }
        /** docker's {@code --volumes-from CONTAINER[:ro|rw]}, one entry per flag. */
        public Builder volumesFrom(String v) { volumesFrom.add(v); return this; }
        public Builder restart(RestartPolicy v) { restart = v; return this; }
        public Builder health(HealthCheck v) { health = v; return this; }

        public ContainerSpec build() {
            return new ContainerSpec(name, image, process.build(), hostname, readOnlyRootfs, resources.build(), mounts,
                    networks, ports, labels, autoRemove, security.build(), log, kernel.build(), names.build(), stop, exposure,
                    namespaces, volumesFrom, restart, health);
        }
    }
}
