package dev.hutch.cli;

import dev.hutch.spec.ByteSize;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.KernelOptions;
import dev.hutch.spec.Mount;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.spec.Resources;
import dev.hutch.spec.SecurityOptions;
import dev.hutch.spec.UlimitText;
import dev.hutch.security.Capabilities;
import dev.hutch.security.SeccompProfile;

import java.io.IOException;
import java.nio.file.Files;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container flags of {@code run} (docker's names and units), and their translation into a
 * {@link ContainerSpec}. Parsing errors name the flag and the value; semantic checks are the
 * engine's (SpecValidator), so the DSL gets exactly the same ones.
 */
public final class SpecFlags {
    private SpecFlags() {}

    public static Flags declare(Flags f) {
        f.bool("interactive", "i", "Keep STDIN open")
                .bool("tty", "t", "Allocate a pseudo-TTY")
                .bool("rm", null, "Remove the container when it exits")
                .value("name", null, "Assign a name to the container")
                .value("env", "e", "Set environment variables (KEY=VALUE, or KEY to copy it from here)")
                .value("env-file", null, "Read environment variables from a file")
                .value("workdir", "w", "Working directory inside the container")
                .value("user", "u", "Username or UID (format: <name|uid>[:<group|gid>])")
                .value("hostname", "h", "Container host name")
                .value("entrypoint", null, "Overwrite the default ENTRYPOINT of the image")
                .value("label", "l", "Set metadata on a container (KEY=VALUE)")
                .value("log-opt", null, "Log rotation: max-size=SIZE, max-file=N (default max-size=20m max-file=5)")
                .value("network", null, "Connect a container to a network (none, host, bridge, container:NAME, NAME)")
                .value("net", null, "Alias of --network")
                .value("network-alias", null, "Add a network-scoped alias for the container")
                .value("ip", null, "IPv4 address (e.g. 10.199.0.20)")
                .value("ip6", null, "IPv6 address on a network made with --ipv6 (e.g. fd68:7574:6368:1::20)")
                .value("mac-address", null, "Container MAC address on its first network (e.g. 02:42:ac:11:00:02)")
                .value("publish", "p", "Publish a container's port to the host ([IP:]HOSTPORT:CONTAINERPORT[/PROTO])")
                .bool("read-only", null, "Mount the container's root filesystem as read only")
                .value("volume", "v", "Bind mount a volume (HOST:CTR[:ro][,idmap], NAME:CTR[:ro] or CTR)")
                .value("mount", null, "Attach a filesystem mount (type=bind|volume|tmpfs,source=...,target=...[,readonly])")
                .value("tmpfs", null, "Mount a tmpfs directory (CTR[:size=64m,mode=1777])")
                .bool("privileged", null, "Give extended privileges: all capabilities, the host's devices, no seccomp, no masked paths")
                .value("cap-add", null, "Add Linux capabilities (e.g. NET_ADMIN, or ALL)")
                .value("cap-drop", null, "Drop Linux capabilities (e.g. NET_RAW, or ALL)")
                .value("security-opt", null, "Security options (seccomp=PROFILE.json, seccomp=unconfined, no-new-privileges[=false])")
                .value("device", null, "Add a host device to the container (HOST[:CONTAINER[:rwm]])")
                .value("device-cgroup-rule", null, "Add a rule to the cgroup allowed devices list ('c 1:3 rwm', * for any number)")
                .value("userns", null, "User namespace: host (default) or auto[:size=N] (root inside is an unprivileged uid outside)")
                .value("sysctl", null, "Namespaced kernel parameter (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*), NAME=VALUE")
                .value("ulimit", null, "Ulimit option NAME=SOFT[:HARD] (e.g. nofile=1024:2048); hard limits up to the host's own")
                .value("oom-score-adj", null, "Tune the host's OOM preferences (-1000 to 1000)")
                .bool("oom-kill-disable", null, "Disable OOM Killer (cgroup v1 memory.oom_control; cgroup v2 has no such switch)")
                .value("memory-swappiness", null, "Tune container memory swappiness (0 to 100; -1 keeps the host's; cgroup v1 only)")
                .value("shm-size", null, "Size of /dev/shm (default 64m)")
                .value("group-add", null, "Add additional groups to join (name in the image's /etc/group, or number)")
                .value("dns", null, "Set custom DNS servers (replace the host's nameserver lines)")
                .value("dns-search", null, "Set custom DNS search domains (. for none)")
                .value("dns-option", null, "Set DNS options (e.g. ndots:2)")
                .value("add-host", null, "Add a custom host-to-IP mapping (HOST:IP, or HOST:host-gateway for the bridge's address)")
                .value("stop-signal", null, "Signal to stop the container (default: the image's StopSignal, else SIGTERM)")
                .value("stop-timeout", null, "Seconds to wait for the stop signal before SIGKILL (default 10; -1 for ever)")
                .value("cgroup-parent", null, "Optional parent cgroup for the container: hutch's own parent or a group below it (e.g. hutch/ci)")
                .value("expose", null, "Expose a port or a range of ports (PORT[/PROTO], FIRST-LAST[/PROTO])")
                .bool("publish-all", "P", "Publish all exposed ports (the image's and --expose) to free host ports")
                .bool("init", null, "Run an init inside the container (hutch always does: accepted for docker's sake)")
                .value("restart", null, "Restart policy when the container exits: no, on-failure[:N], always, unless-stopped (default no)")
                .value("health-cmd", null, "Command to run to check health (run inside the container by its monitor)")
                .value("health-interval", null, "Time between running the check (e.g. 30s, 500ms; default 30s)")
                .value("health-timeout", null, "Maximum time to allow one check to run (default 30s)")
                .value("health-start-period", null, "Start period for the container to initialize before failures count (default 0s)")
                .value("health-retries", null, "Consecutive failures needed to report unhealthy (default 3)")
                .bool("no-healthcheck", null, "Disable any container-specified HEALTHCHECK")
                .value("ipc", null, "IPC mode: private (default), shareable, none, host or container:NAME (a shareable running container)")
                .value("pid", null, "PID namespace: private (default), host or container:NAME (the container dies with NAME's)")
                .value("uts", null, "UTS namespace: private (default) or host")
                .value("cgroupns", null, "Cgroup namespace: private (default) or host")
                .value("volumes-from", null, "Mount volumes from the specified container(s) (CONTAINER[:ro|rw])");
        return declareResources(f)
                .value("device-read-bps", null, "Limit read rate (bytes per second) from a device (/dev/sda:1mb)")
                .value("device-write-bps", null, "Limit write rate (bytes per second) to a device (/dev/sda:1mb)")
                .value("device-read-iops", null, "Limit read rate (IO per second) from a device (/dev/sda:1000)")
                .value("device-write-iops", null, "Limit write rate (IO per second) to a device (/dev/sda:1000)")
                .value("blkio-weight-device", null, "Block IO weight (relative device weight, 10 to 1000) (/dev/sda:200)");
    }

    /** The limits both {@code run} and {@code update} take. */
    public static Flags declareResources(Flags f) {
        return f.value("cpus", null, "Number of CPUs")
                .value("cpu-period", null, "Limit CPU CFS period (microseconds)")
                .value("cpu-quota", null, "Limit CPU CFS quota (microseconds)")
                .value("cpu-shares", "c", "CPU shares (relative weight)")
                .value("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)")
                .value("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)")
                .value("memory", "m", "Memory limit")
                .value("memory-swap", null, "Swap limit equal to memory plus swap: -1 for unlimited swap")
                .value("memory-reservation", null, "Memory soft limit")
                .value("pids-limit", null, "Tune container pids limit (-1 for unlimited)")
                .value("blkio-weight", null, "Block IO (relative weight), between 10 and 1000");
    }

    /** @param positional IMAGE [COMMAND [ARG...]] */
    public static ContainerSpec toSpec(Context ctx, Flags.Parsed a, List<String> positional) {
        if (positional.isEmpty())
            throw new InvalidSpecException("IMAGE", null, "is missing: \"hutch run\" requires at least 1 argument (try: hutch run busybox echo hi)");
        ContainerSpec.Builder b = ContainerSpec.builder(positional.get(0));
        b.command(positional.subList(1, positional.size()));
        b.name(a.value("name"));
        b.hostname(a.value("hostname"));
        b.readOnlyRootfs(a.bool("read-only"));
        b.autoRemove(a.bool("rm"));
        if (!a.values("log-opt").isEmpty()) b.log(dev.hutch.spec.LogConfig.parse(a.values("log-opt")));
        b.process().tty(a.bool("tty")).interactive(a.bool("interactive"));
        b.process().workdir(a.value("workdir")).user(a.value("user"));
        if (a.has("entrypoint")) {
            String ep = a.value("entrypoint");
            b.process().entrypoint(ep.isEmpty() ? List.of() : List.of(ep));
        }
        for (String file : a.values("env-file")) EnvFile.read(ctx, file).forEach(b.process()::env);
        for (String e : a.values("env")) {
            if (e.contains("=")) b.process().env(e);
            else if (ctx.env().get(e) != null) b.process().env(e, ctx.env().get(e)); // docker: copy from the caller, or drop
        }
        for (String l : a.values("label")) {
            int eq = l.indexOf('=');
            b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        networks(a, b);
        for (String p : a.values("publish")) b.port(PortMapping.parse(p));
        for (String v : a.values("volume")) b.mount(volume(ctx, v));
        for (String m : a.values("mount")) b.mount(mount(ctx, m));
        for (String t : a.values("tmpfs")) b.mount(tmpfs(t));
        resources(a, b.resources());
        security(ctx, a, b.security());
        kernel(a, b.kernel());
        if (!a.values("expose").isEmpty() || a.bool("publish-all")) {
            List<String> exposed = new java.util.ArrayList<>();
            for (String e : a.values("expose")) for (String p : dev.hutch.spec.PortExposure.parse(e)) if (!exposed.contains(p)) exposed.add(p);
            b.exposure(new dev.hutch.spec.PortExposure(exposed, a.bool("publish-all")));
        }
        a.values("dns").forEach(b.names()::dns);
        a.values("dns-search").forEach(b.names()::dnsSearch);
        a.values("dns-option").forEach(b.names()::dnsOption);
        a.values("add-host").forEach(b.names()::extraHost);
        if (a.has("stop-signal") || a.has("stop-timeout"))
            b.stop(new dev.hutch.spec.StopPolicy(a.value("stop-signal"),
                    a.has("stop-timeout") ? stopTimeout(a.value("stop-timeout")) : null));
        if (a.has("restart")) b.restart(dev.hutch.spec.RestartPolicy.parse(a.value("restart")));
        b.health(health(a));
        namespaces(a, b);
        a.values("volumes-from").forEach(b::volumesFrom);
        if (a.bool("oom-kill-disable")) b.resources().oomKillDisable(true);
        if (a.has("cgroup-parent")) b.resources().cgroupParent(a.value("cgroup-parent"));
        if (a.has("memory-swappiness")) {
            long v = integer("--memory-swappiness", a.value("memory-swappiness"));
            if (v != -1) b.resources().memorySwappiness(v); // docker: -1 is "not set"
        }
        return b.build();
    }

    /** --ipc, --pid, --uts, --cgroupns: an empty value is docker's default; the words are the engine's check. */
    static void namespaces(Flags.Parsed a, ContainerSpec.Builder b) {
        dev.hutch.spec.NamespaceSharing ns = dev.hutch.spec.NamespaceSharing.DEFAULT;
        if (a.has("ipc") && !a.value("ipc").isEmpty()) ns = ns.withIpc(a.value("ipc"));
        if (a.has("pid") && !a.value("pid").isEmpty()) ns = ns.withPid(a.value("pid"));
        if (a.has("uts") && !a.value("uts").isEmpty()) ns = ns.withUts(a.value("uts"));
        if (a.has("cgroupns") && !a.value("cgroupns").isEmpty()) ns = ns.withCgroupns(a.value("cgroupns"));
        if (!ns.isDefault()) b.namespaces(ns);
    }

    /** --sysctl, --ulimit, --oom-score-adj, --shm-size, --group-add: parsed here, checked by the engine. */
    static void kernel(Flags.Parsed a, KernelOptions.Builder k) {
        for (String s : a.values("sysctl")) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new InvalidSpecException("--sysctl", s, "is not NAME=VALUE (try net.ipv4.ip_forward=1)");
            k.sysctl(s.substring(0, eq), s.substring(eq + 1));
        }
        for (String u : a.values("ulimit")) k.ulimit(UlimitText.parse(u));
        if (a.has("oom-score-adj")) {
            long v = integer("--oom-score-adj", a.value("oom-score-adj"));
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)
                throw new InvalidSpecException("--oom-score-adj", v, "is out of range: use a whole number from -1000 to 1000");
            k.oomScoreAdj((int) v);
        }
        if (a.has("shm-size")) {
            long shm = ByteSize.parse("--shm-size", a.value("shm-size"));
            if (shm > 0) k.shmSize(shm); // docker: 0 means its default, 64m
        }
        for (String g : a.values("group-add")) k.groupAdd(g);
    }

    /** --health-* and --no-healthcheck; NONE when none is given (the image's HEALTHCHECK then applies). */
    static dev.hutch.spec.HealthCheck health(Flags.Parsed a) {
        boolean any = false;
        for (String f : List.of("health-cmd", "health-interval", "health-timeout", "health-start-period", "health-retries"))
            any |= a.has(f);
        if (a.bool("no-healthcheck")) {
            if (any) throw new InvalidSpecException("--no-healthcheck", null, "conflicts with --health-* options (drop one of them)");
            return new dev.hutch.spec.HealthCheck(List.of("NONE"), 0, 0, 0, 0);
        }
        if (!any) return dev.hutch.spec.HealthCheck.NONE;
        // Without --health-cmd the flags tune the image's HEALTHCHECK (the engine lays them over it).
        List<String> test = a.has("health-cmd") ? List.of("CMD-SHELL", a.value("health-cmd")) : List.of();
        if (a.has("health-cmd") && a.value("health-cmd").isBlank())
            throw new InvalidSpecException("--health-cmd", a.value("health-cmd"), "is empty (try --health-cmd 'test -e /tmp/ready')");
        long retries = a.has("health-retries") ? integer("--health-retries", a.value("health-retries")) : 0;
        if (retries < 0 || retries > Integer.MAX_VALUE)
            throw new InvalidSpecException("--health-retries", a.value("health-retries"), "cannot be negative (try 3)");
        return new dev.hutch.spec.HealthCheck(test, duration(a, "health-interval"), duration(a, "health-timeout"),
                duration(a, "health-start-period"), (int) retries);
    }

    private static long duration(Flags.Parsed a, String flag) {
        return a.has(flag) ? dev.hutch.spec.GoDuration.millis("--" + flag, a.value(flag)) : 0;
    }

    static int stopTimeout(String v) {
        long t = integer("--stop-timeout", v);
        if (t < -1 || t > Integer.MAX_VALUE)
            throw new InvalidSpecException("--stop-timeout", v, "must be seconds, 0 or more (-1 waits for ever)");
        return (int) t;
    }

    static void security(Context ctx, Flags.Parsed a, SecurityOptions.Builder s) {
        s.privileged(a.bool("privileged"));
        for (String c : a.values("cap-add")) s.capAdd(Capabilities.normalize("--cap-add", c));
        for (String c : a.values("cap-drop")) s.capDrop(Capabilities.normalize("--cap-drop", c));
        for (String d : a.values("device")) s.device(SecurityOptions.DeviceMapping.parse(d));
        for (String r : a.values("device-cgroup-rule")) s.deviceCgroupRule(SecurityOptions.DeviceCgroupRule.parse(r));
        for (String o : a.values("security-opt")) securityOpt(ctx, o, s);
        if (a.has("userns")) s.userns(dev.hutch.spec.UserNamespaceMode.parse(a.value("userns")));
    }

    /** docker's spellings: {@code seccomp=FILE}, {@code seccomp:FILE}, {@code no-new-privileges[=true|false]}. */
    static void securityOpt(Context ctx, String opt, SecurityOptions.Builder s) {
        int sep = opt.indexOf('=');
        if (sep < 0) sep = opt.indexOf(':');
        String key = sep < 0 ? opt : opt.substring(0, sep), value = sep < 0 ? null : opt.substring(sep + 1);
        switch (key) {
            case "seccomp" -> {
                if (value == null || value.isEmpty())
                    throw new InvalidSpecException("--security-opt", opt, "needs a profile (seccomp=PROFILE.json or seccomp=unconfined)");
                if (value.equals(SecurityOptions.UNCONFINED)) {
                    s.seccompProfile(SecurityOptions.UNCONFINED);
                    return;
                }
                String json;
                try {
                    json = Files.readString(ctx.path(value));
                } catch (IOException | RuntimeException e) {
                    throw new InvalidSpecException("--security-opt", opt, "cannot be read (" + e.getMessage() + "); give a docker seccomp profile (JSON) or seccomp=unconfined");
                }
                SeccompProfile.parse(json, value); // a bad profile is refused here, naming the file
                s.seccompProfile(json);
            }
            case "no-new-privileges" -> {
                if (value == null || value.equals("true")) s.noNewPrivileges(true);
                else if (value.equals("false")) s.noNewPrivileges(false);
                else throw new InvalidSpecException("--security-opt", opt, "has a value that is not true or false");
            }
            // Confinement hutch does not have: turning it off changes nothing, as docker on a host without it.
            case "apparmor", "label" -> {
                if (!"unconfined".equals(value) && !"disable".equals(value))
                    throw new InvalidSpecException("--security-opt", opt, "is not supported: hutch uses neither AppArmor nor SELinux");
            }
            default -> throw new InvalidSpecException("--security-opt", opt,
                    "is not a security option (use seccomp=PROFILE.json, seccomp=unconfined or no-new-privileges)");
        }
    }

    private static void networks(Flags.Parsed a, ContainerSpec.Builder b) {
        List<String> nets = new java.util.ArrayList<>(a.values("network"));
        nets.addAll(a.values("net"));
        List<String> aliases = a.values("network-alias");
        String ip = a.value("ip"), ip6 = a.value("ip6"), mac = a.value("mac-address");
        for (int i = 0; i < nets.size(); i++) {
            b.network(new NetworkAttachment(nets.get(i), i == 0 ? aliases : List.of(), i == 0 ? ip : null, i == 0 ? mac : null,
                    i == 0 ? ip6 : null));
        }
        if (nets.isEmpty() && (!aliases.isEmpty() || ip != null || ip6 != null || mac != null))
            b.network(new NetworkAttachment(NetworkAttachment.BRIDGE, aliases, ip, mac, ip6));
    }

    public static void resources(Flags.Parsed a, Resources.Builder r) {
        if (a.has("cpus")) r.cpus(decimal("--cpus", a.value("cpus")));
        if (a.has("cpu-period")) r.cpuPeriod(integer("--cpu-period", a.value("cpu-period")));
        if (a.has("cpu-quota")) r.cpuQuota(integer("--cpu-quota", a.value("cpu-quota")));
        if (a.has("cpu-shares")) r.cpuShares(integer("--cpu-shares", a.value("cpu-shares")));
        if (a.has("cpuset-cpus")) r.cpusetCpus(a.value("cpuset-cpus"));
        if (a.has("cpuset-mems")) r.cpusetMems(a.value("cpuset-mems"));
        if (a.has("memory")) r.memory(ByteSize.parse("--memory", a.value("memory")));
        if (a.has("memory-swap")) {
            String v = a.value("memory-swap");
            r.memorySwap(v.equals("-1") ? -1L : ByteSize.parse("--memory-swap", v));
        }
        if (a.has("memory-reservation")) r.memoryReservation(ByteSize.parse("--memory-reservation", a.value("memory-reservation")));
        if (a.has("pids-limit")) r.pidsLimit(integer("--pids-limit", a.value("pids-limit")));
        if (a.has("blkio-weight")) r.blkioWeight((int) integer("--blkio-weight", a.value("blkio-weight")));
        for (String d : a.values("device-read-bps")) r.deviceReadBps(Resources.DeviceRate.parse("--device-read-bps", d));
        for (String d : a.values("device-write-bps")) r.deviceWriteBps(Resources.DeviceRate.parse("--device-write-bps", d));
        for (String d : a.values("device-read-iops")) r.deviceReadIops(Resources.DeviceIops.parse("--device-read-iops", d));
        for (String d : a.values("device-write-iops")) r.deviceWriteIops(Resources.DeviceIops.parse("--device-write-iops", d));
        for (String d : a.values("blkio-weight-device")) r.blkioWeightDevice(Resources.DeviceWeight.parse("--blkio-weight-device", d));
    }

    /** -v HOST:CTR[:ro|rw][,idmap], -v NAME:CTR[:ro], -v CTR (anonymous volume). */
    static Mount volume(Context ctx, String text) {
        String[] parts = text.split(":", -1);
        boolean ro = false, idmap = false;
        if (parts.length == 3) {
            for (String opt : parts[2].split(",", -1)) {
                switch (opt) {
                    case "ro" -> ro = true;
                    case "rw", "" -> { }
                    case "idmap" -> idmap = true; // podman's: host ids seen as they are, with --userns=auto
                    default -> throw new InvalidSpecException("--volume", text, "has mode \"" + opt + "\" (use ro, rw or idmap)");
                }
            }
        } else if (parts.length > 3 || parts.length == 0) {
            throw new InvalidSpecException("--volume", text, "is not HOST:CONTAINER[:ro] (try /srv/data:/data:ro)");
        }
        if (parts.length == 1) return Mount.volume("", parts[0], false);
        String src = parts[0], target = parts[1];
        if (src.isEmpty()) throw new InvalidSpecException("--volume", text, "has an empty source");
        if (src.startsWith("/") || src.startsWith(".")) {
            Mount bind = Mount.bind(ctx.path(src).toString(), target, ro);
            return idmap ? new Mount(bind.type(), bind.source(), bind.target(), ro, Map.of(Mount.IDMAP, "true")) : bind;
        }
        if (idmap) throw new InvalidSpecException("--volume", text, "asks idmap of a named volume (hutch idmaps bind mounts only)");
        return Mount.volume(src, target, ro);
    }

    /** --mount type=bind,source=/a,target=/b,readonly */
    static Mount mount(Context ctx, String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            kv.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "true" : part.substring(eq + 1));
        }
        String type = kv.getOrDefault("type", "volume");
        String src = kv.getOrDefault("source", kv.getOrDefault("src", ""));
        String target = kv.getOrDefault("target", kv.getOrDefault("destination", kv.getOrDefault("dst", "")));
        boolean ro = "true".equals(kv.get("readonly")) || "1".equals(kv.get("readonly")) || "true".equals(kv.get("ro"));
        if (target.isEmpty()) throw new InvalidSpecException("--mount", text, "needs target=PATH");
        return switch (type) {
            case "bind" -> {
                if (src.isEmpty()) throw new InvalidSpecException("--mount", text, "needs source=HOST_PATH for type=bind");
                yield Mount.bind(ctx.path(src).toString(), target, ro);
            }
            case "volume" -> Mount.volume(src, target, ro);
            case "tmpfs" -> {
                Map<String, String> opts = new LinkedHashMap<>();
                if (kv.containsKey("tmpfs-size")) opts.put("size", Long.toString(ByteSize.parse("--mount tmpfs-size", kv.get("tmpfs-size"))));
                if (kv.containsKey("tmpfs-mode")) opts.put("mode", kv.get("tmpfs-mode"));
                yield Mount.tmpfs(target, opts);
            }
            default -> throw new InvalidSpecException("--mount", text, "has type \"" + type + "\" (use bind, volume or tmpfs)");
        };
    }

    /** --tmpfs /run[:size=64m,mode=1777] */
    static Mount tmpfs(String text) {
        int colon = text.indexOf(':');
        String target = colon < 0 ? text : text.substring(0, colon);
        Map<String, String> opts = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String o : text.substring(colon + 1).split(",")) {
                if (o.isEmpty()) continue;
                int eq = o.indexOf('=');
                String k = eq < 0 ? o : o.substring(0, eq), v = eq < 0 ? "" : o.substring(eq + 1);
                if (k.equals("size")) v = Long.toString(ByteSize.parse("--tmpfs size", v));
                else if (!k.equals("mode") && !k.equals("noexec") && !k.equals("nosuid") && !k.equals("nodev") && !k.equals("exec"))
                    throw new InvalidSpecException("--tmpfs", text, "has option \"" + k + "\" (use size=, mode=, noexec, nosuid, nodev)");
                opts.put(k, v);
            }
        }
        return Mount.tmpfs(target, opts);
    }

    static double decimal(String field, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(field, v, "is not a number (try 0.5)");
        }
    }

    static long integer(String field, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(field, v, "is not a whole number");
        }
    }
}
