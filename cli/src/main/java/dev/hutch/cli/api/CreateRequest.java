package dev.hutch.cli.api;

import dev.hutch.json.Json;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.Mount;
import dev.hutch.spec.NetworkAttachment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code POST /containers/create} (Docker's Config with its HostConfig inside) to the
 * same {@link ContainerSpec} the CLI and the DSL build. What this slice maps is listed in
 * docs/docker-api.md; a HostConfig field set to something this slice would otherwise ignore is
 * refused (400, naming it), so a client never gets a container without what it asked for.
 */
final class CreateRequest {
    /** HostConfig fields mapped below, or harmless at their zero value (the CLI sends them all). */
    private static final Set<String> HOST_FIELDS = Set.of("Memory", "MemorySwap", "MemoryReservation", "NanoCpus", "CpuShares",
            "CpuPeriod", "CpuQuota", "CpusetCpus", "CpusetMems", "PidsLimit", "Binds", "AutoRemove", "NetworkMode", "ReadonlyRootfs",
            "PortBindings", "PublishAllPorts", "Sysctls", "Ulimits", "OomScoreAdj", "ShmSize", "GroupAdd", "Dns", "DnsSearch",
            "DnsOptions", "ExtraHosts", "Init", "CgroupParent", "OomKillDisable", "MemorySwappiness", "RestartPolicy", "IpcMode", "PidMode",
            "UTSMode", "CgroupnsMode", "VolumesFrom", "BlkioWeightDevice", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps");

    private CreateRequest() {}

    static ContainerSpec toSpec(String name, String body) { return toSpec(name, body, java.util.function.UnaryOperator.identity()); }

    /**
     * @param networkNames a user network's name for the reference NetworkMode gives: Testcontainers
     *                     names the network by its id, the engine's specs by its name
     */
    static ContainerSpec toSpec(String name, String body, java.util.function.UnaryOperator<String> networkNames) {
        Map<String, Object> config;
        try {
            config = body.isBlank() ? Map.of() : Json.parseObject(body);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("the request body is not a JSON object: " + e.getMessage());
        }
        Object image = config.get("Image");
        if (!(image instanceof String ref) || ref.isBlank()) throw ApiError.badParameter("Config.Image is missing: name an image");
        ContainerSpec.Builder b = ContainerSpec.builder(ref);
        if (name != null && !name.isEmpty()) b.name(name.startsWith("/") ? name.substring(1) : name);
        List<String> cmd = strings(config, "Cmd");
        if (cmd != null) b.command(cmd);
        Object entry = config.get("Entrypoint");
        if (entry instanceof String s) b.process().entrypoint(List.of(s));
        else if (entry != null) b.process().entrypoint(strings(config, "Entrypoint"));
        List<String> env = strings(config, "Env");
        if (env != null) for (String e : env) b.process().env(e);
        if (config.get("WorkingDir") instanceof String w && !w.isEmpty()) b.process().workdir(w);
        if (config.get("User") instanceof String u && !u.isEmpty()) b.process().user(u);
        if (config.get("Hostname") instanceof String h && !h.isEmpty()) b.hostname(h);
        if (Boolean.TRUE.equals(config.get("Tty"))) b.process().tty(true);
        if (Boolean.TRUE.equals(config.get("OpenStdin"))) b.process().interactive(true); // docker run -i: an attach may give stdin
        if (config.get("Labels") instanceof Map<?, ?> labels)
            labels.forEach((k, v) -> b.label(String.valueOf(k), String.valueOf(v)));
        Map<?, ?> endpoints = config.get("NetworkingConfig") instanceof Map<?, ?> nc && nc.get("EndpointsConfig") instanceof Map<?, ?> ec ? ec : null;
        if (config.get("HostConfig") instanceof Map<?, ?> host) hostConfig(b, host, endpoints, networkNames);
        anonymousVolumes(b, config);
        Long stopTimeout = config.get("StopTimeout") == null ? null : numberIn(config, "StopTimeout", "Config");
        String stopSignal = config.get("StopSignal") instanceof String sig && !sig.isEmpty() ? sig : null;
        if (stopSignal != null || stopTimeout != null)
            b.stop(new dev.hutch.spec.StopPolicy(stopSignal, stopTimeout == null ? null : stopTimeout.intValue()));
        // Config.Healthcheck: the image config's shape (durations in nanoseconds); {"Test":["NONE"]} disables the image's
        if (config.get("Healthcheck") instanceof Map<?, ?> hc && !isZero(hc))
            b.health(dev.hutch.image.ImageConfig.healthcheck(dev.hutch.json.JsonReader.of(hc)));
        return b.build();
    }

    /**
     * docker run -v /path: Config.Volumes names the paths, each an anonymous volume unless a bind
     * or named volume in HostConfig.Binds already mounts there (dockerd lets Binds win too).
     */
    private static void anonymousVolumes(ContainerSpec.Builder b, Map<String, Object> config) {
        if (!(config.get("Volumes") instanceof Map<?, ?> volumes) || volumes.isEmpty()) return;
        Set<String> bound = new java.util.HashSet<>();
        if (config.get("HostConfig") instanceof Map<?, ?> host && host.get("Binds") instanceof List<?> binds)
            for (Object o : binds) bound.add(bind(String.valueOf(o)).target());
        for (Object path : volumes.keySet()) {
            String target = String.valueOf(path);
            if (!target.startsWith("/")) throw ApiError.badParameter("Config.Volumes: \"" + target + "\" is not an absolute path");
            if (!bound.contains(target)) b.mount(Mount.volume("", target, false));
        }
    }

    /**
     * NetworkMode: bridge, none, host, container:NAME, or a user network, with the aliases and
     * address its entry of NetworkingConfig.EndpointsConfig asks for (docker run --network-alias, --ip).
     */
    static NetworkAttachment network(String mode, Map<?, ?> endpoints) { return network(mode, endpoints, java.util.function.UnaryOperator.identity()); }

    static NetworkAttachment network(String mode, Map<?, ?> endpoints, java.util.function.UnaryOperator<String> networkNames) {
        if (mode.equals(NetworkAttachment.NONE) || mode.equals(NetworkAttachment.HOST) || mode.startsWith(NetworkAttachment.CONTAINER_PREFIX))
            return NetworkAttachment.of(mode);
        List<String> aliases = List.of();
        String ip = null, ip6 = null;
        if (endpoints != null && endpoints.get(mode) instanceof Map<?, ?> ep) {
            if (ep.get("Aliases") instanceof List<?> a) aliases = a.stream().map(String::valueOf).toList();
            if (ep.get("IPAMConfig") instanceof Map<?, ?> ipam && ipam.get("IPv4Address") instanceof String s && !s.isEmpty()) ip = s;
            if (ep.get("IPAMConfig") instanceof Map<?, ?> ipam && ipam.get("IPv6Address") instanceof String s && !s.isEmpty()) ip6 = s;
        }
        return new NetworkAttachment(mode.equals(NetworkAttachment.BRIDGE) ? mode : networkNames.apply(mode), aliases, ip, null, ip6);
    }

    private static void hostConfig(ContainerSpec.Builder b, Map<?, ?> host, Map<?, ?> endpoints, java.util.function.UnaryOperator<String> networkNames) {
        Set<String> refused = new TreeSet<>();
        host.forEach((k, v) -> {
            if (!HOST_FIELDS.contains(String.valueOf(k)) && !isZero(v) && !isDockerDefault(String.valueOf(k), v))
                refused.add(String.valueOf(k));
        });
        if (!refused.isEmpty())
            throw ApiError.badParameter("HostConfig " + String.join(", ", refused) + ": not supported by hutch's Docker API yet"
                    + " (see docs/docker-api.md)");
        Long memory = positive(host, "Memory");
        if (memory != null) b.resources().memory(memory);
        Long swap = number(host, "MemorySwap");
        if (swap != null && swap != 0) b.resources().memorySwap(swap);
        Long reservation = positive(host, "MemoryReservation");
        if (reservation != null) b.resources().memoryReservation(reservation);
        Long nanoCpus = positive(host, "NanoCpus");
        if (nanoCpus != null) b.resources().cpus(nanoCpus / 1e9);
        Long shares = positive(host, "CpuShares");
        if (shares != null) b.resources().cpuShares(shares);
        Long period = positive(host, "CpuPeriod");
        if (period != null) b.resources().cpuPeriod(period);
        Long quota = positive(host, "CpuQuota");
        if (quota != null) b.resources().cpuQuota(quota);
        if (host.get("CpusetCpus") instanceof String s && !s.isEmpty()) b.resources().cpusetCpus(s);
        if (host.get("CpusetMems") instanceof String s && !s.isEmpty()) b.resources().cpusetMems(s);
        Long pids = number(host, "PidsLimit");
        if (pids != null && pids != 0) b.resources().pidsLimit(pids);
        if (Boolean.TRUE.equals(host.get("AutoRemove"))) b.autoRemove(true);
        if (Boolean.TRUE.equals(host.get("ReadonlyRootfs"))) b.readOnlyRootfs(true);
        if (host.get("Binds") instanceof List<?> binds) for (Object o : binds) b.mount(bind(String.valueOf(o)));
        for (var p : PortBindings.parse(host.get("PortBindings"))) b.port(p);
        if (host.get("NetworkMode") instanceof String mode && !mode.isEmpty() && !mode.equals("default")) b.network(network(mode, endpoints, networkNames));
        kernel(b, host);
        names(b, host);
        if (Boolean.TRUE.equals(host.get("OomKillDisable"))) b.resources().oomKillDisable(true);
        if (host.get("CgroupParent") instanceof String parent && !parent.isEmpty()) b.resources().cgroupParent(parent);
        Long swappiness = number(host, "MemorySwappiness");
        if (swappiness != null && swappiness != -1) b.resources().memorySwappiness(swappiness); // -1: not set
        namespaces(b, host);
        List<String> from = host.get("VolumesFrom") == null ? null : strings(host, "VolumesFrom");
        if (from != null) from.forEach(b::volumesFrom);
        for (Map<?, ?> d : devices(host, "BlkioDeviceReadIOps"))
            b.resources().deviceReadIops(new dev.hutch.spec.Resources.DeviceIops(String.valueOf(d.get("Path")), numberIn(d, "Rate", "HostConfig.BlkioDeviceReadIOps")));
        for (Map<?, ?> d : devices(host, "BlkioDeviceWriteIOps"))
            b.resources().deviceWriteIops(new dev.hutch.spec.Resources.DeviceIops(String.valueOf(d.get("Path")), numberIn(d, "Rate", "HostConfig.BlkioDeviceWriteIOps")));
        for (Map<?, ?> d : devices(host, "BlkioWeightDevice"))
            b.resources().blkioWeightDevice(dev.hutch.spec.Resources.DeviceWeight.parse("HostConfig.BlkioWeightDevice",
                    d.get("Path") + ":" + numberIn(d, "Weight", "HostConfig.BlkioWeightDevice")));
        // Init: hutch always runs its own init as PID 1 (docker run --init asks for what is there anyway)
        if (host.get("RestartPolicy") instanceof Map<?, ?> rp && rp.get("Name") instanceof String name && !name.isEmpty()) {
            Long max = number(rp, "MaximumRetryCount");
            b.restart(new dev.hutch.spec.RestartPolicy(name, max == null ? 0 : max.intValue())); // checked by the engine
        }
    }

    /** docker run --sysctl, --ulimit, --oom-score-adj, --shm-size, --group-add; checked by the engine as the CLI's are. */
    private static void kernel(ContainerSpec.Builder b, Map<?, ?> host) {
        if (host.get("Sysctls") instanceof Map<?, ?> sysctls) sysctls.forEach((k, v) -> b.kernel().sysctl(String.valueOf(k), String.valueOf(v)));
        if (host.get("Ulimits") instanceof List<?> ulimits) {
            for (Object o : ulimits) {
                if (!(o instanceof Map<?, ?> u) || !(u.get("Name") instanceof String n))
                    throw ApiError.badParameter("HostConfig.Ulimits: each entry needs a Name, Soft and Hard, not " + Json.write(o));
                b.kernel().ulimit(new dev.hutch.spec.KernelOptions.Ulimit(n, numberIn(u, "Soft", "HostConfig.Ulimits"), numberIn(u, "Hard", "HostConfig.Ulimits")));
            }
        }
        Long oom = number(host, "OomScoreAdj");
        if (oom != null && oom != 0) b.kernel().oomScoreAdj(oom.intValue());
        Long shm = positive(host, "ShmSize");
        if (shm != null) b.kernel().shmSize(shm);
        List<String> groups = host.get("GroupAdd") == null ? null : strings(host, "GroupAdd");
        if (groups != null) groups.forEach(b.kernel()::groupAdd);
    }

    /** docker run --ipc, --pid, --uts, --cgroupns: "" is the default, the words are the engine's check. */
    private static void namespaces(ContainerSpec.Builder b, Map<?, ?> host) {
        dev.hutch.spec.NamespaceSharing ns = dev.hutch.spec.NamespaceSharing.DEFAULT;
        if (host.get("IpcMode") instanceof String v && !v.isEmpty()) ns = ns.withIpc(v);
        if (host.get("PidMode") instanceof String v && !v.isEmpty()) ns = ns.withPid(v);
        if (host.get("UTSMode") instanceof String v && !v.isEmpty()) ns = ns.withUts(v);
        if (host.get("CgroupnsMode") instanceof String v && !v.isEmpty()) ns = ns.withCgroupns(v);
        if (!ns.isDefault()) b.namespaces(ns);
    }

    /** A list of {"Path": ..., "Rate"|"Weight": N} objects (docker's ThrottleDevice, WeightDevice). */
    private static List<Map<?, ?>> devices(Map<?, ?> host, String key) {
        Object v = host.get(key);
        if (v == null) return List.of();
        List<Map<?, ?>> out = new ArrayList<>();
        if (!(v instanceof List<?> list)) throw ApiError.badParameter("HostConfig." + key + " must be a list, not " + Json.write(v));
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("Path") instanceof String))
                throw ApiError.badParameter("HostConfig." + key + ": each entry needs a Path, not " + Json.write(o));
            out.add(m);
        }
        return out;
    }

    /** docker run --dns, --dns-search, --dns-option, --add-host. */
    private static void names(ContainerSpec.Builder b, Map<?, ?> host) {
        for (String key : List.of("Dns", "DnsSearch", "DnsOptions", "ExtraHosts")) {
            List<String> values = host.get(key) == null ? null : strings(host, key);
            if (values == null) continue;
            for (String v : values) {
                switch (key) {
                    case "Dns" -> b.names().dns(v);
                    case "DnsSearch" -> b.names().dnsSearch(v);
                    case "DnsOptions" -> b.names().dnsOption(v);
                    default -> b.names().extraHost(v);
                }
            }
        }
    }

    private static long numberIn(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof Number n)) throw ApiError.badParameter(where + "." + key + " must be a number, not " + Json.write(m.get(key)));
        return n.longValue();
    }

    /**
     * -P: the exposed ports (of the request's Config.ExposedPorts and of the image) without a
     * binding of their own get a free host port each; without PublishAllPorts, the spec as it is.
     */
    static ContainerSpec publishAll(ContainerSpec spec, String body, List<String> imageExposed) {
        Map<String, Object> config = body.isBlank() ? Map.of() : Json.parseObject(body);
        if (!(config.get("HostConfig") instanceof Map<?, ?> host) || !Boolean.TRUE.equals(host.get("PublishAllPorts"))) return spec;
        List<String> exposed = new ArrayList<>();
        if (config.get("ExposedPorts") instanceof Map<?, ?> m) for (Object k : m.keySet()) exposed.add(String.valueOf(k));
        if (imageExposed != null) exposed.addAll(imageExposed);
        List<dev.hutch.spec.PortMapping> extra = PortBindings.publishAll(spec.ports(), exposed);
        if (extra.isEmpty()) return spec;
        ContainerSpec.Builder b = spec.toBuilder();
        for (var p : extra) b.port(p);
        return b.build();
    }

    /** "HOST:CTR[:ro|rw]" with an absolute host path, or "NAME:CTR[:ro|rw]" for a named volume. */
    static Mount bind(String text) {
        String[] parts = text.split(":");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("/"))
            throw ApiError.badParameter("invalid volume specification: '" + text + "' (use /host/path:/container/path[:ro])");
        boolean ro = false;
        if (parts.length == 3) {
            for (String opt : parts[2].split(",")) {
                switch (opt) {
                    case "ro" -> ro = true;
                    case "rw", "" -> { }
                    default -> throw ApiError.badParameter("invalid mode \"" + opt + "\" in volume specification '" + text + "' (use ro or rw)");
                }
            }
        }
        return parts[0].startsWith("/") ? Mount.bind(parts[0], parts[1], ro) : Mount.volume(parts[0], parts[1], ro);
    }

    /** What the docker CLI sends when the user asked for nothing: the daemon's behaviour, which is hutch's too. */
    private static boolean isDockerDefault(String key, Object v) {
        return switch (key) {
            case "RestartPolicy" -> v instanceof Map<?, ?> m && ("no".equals(m.get("Name")) || "".equals(m.get("Name")))
                    && isZero(m.get("MaximumRetryCount"));
            case "ConsoleSize" -> true; // the terminal's size for a tty: hutch's monitor takes it from the terminal
            default -> false;
        };
    }

    private static boolean isZero(Object v) {
        return v == null || Boolean.FALSE.equals(v) || (v instanceof Number n && n.doubleValue() == 0)
                || (v instanceof String s && s.isEmpty())
                || (v instanceof List<?> l && l.stream().allMatch(CreateRequest::isZero))
                || (v instanceof Map<?, ?> m && m.values().stream().allMatch(CreateRequest::isZero));
    }

    static List<String> strings(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (!(v instanceof List<?> list)) throw ApiError.badParameter(key + " must be a list of strings, not " + Json.write(v));
        List<String> out = new ArrayList<>();
        for (Object o : list) out.add(String.valueOf(o));
        return out;
    }

    private static Long number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (!(v instanceof Number n)) throw ApiError.badParameter("HostConfig." + key + " must be a number, not " + Json.write(v));
        return n.longValue();
    }

    private static Long positive(Map<?, ?> m, String key) {
        Long n = number(m, key);
        if (n == null || n == 0) return null;
        if (n < 0) throw ApiError.badParameter("HostConfig." + key + ": " + n + " is negative");
        return n;
    }
}
