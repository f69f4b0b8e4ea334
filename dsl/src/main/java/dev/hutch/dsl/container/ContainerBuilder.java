package dev.hutch.dsl.container;

import dev.hutch.dsl.ScriptFailure;
import dev.hutch.dsl.ScriptLines;
import dev.hutch.dsl.network.NetworkHandle;
import dev.hutch.spec.ByteSize;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.Mount;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.spec.Resources;
import dev.hutch.spec.SecurityOptions;
import dev.hutch.security.Capabilities;
import dev.hutch.security.SeccompProfile;
import dev.hutch.spec.SpecValidator;
import dev.hutch.util.HostInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegate of a {@code container('web') { ... }} block. Every method sets one part of a
 * {@link ContainerSpec} the way the matching {@code hutch run} flag does (names and units in the
 * comments), so a script and a command line that say the same thing give the same spec.
 *
 * <p>Each method remembers the script line that called it: when the finished spec fails
 * validation, the error points at the line that set the bad field, not at hutch's code.
 */
public final class ContainerBuilder {
    /** The CLI flag names that {@link SpecValidator} uses, and the DSL methods that set them. */
    static final Map<String, String> DSL_NAME_OF_FLAG = Map.ofEntries(
            Map.entry("IMAGE", "image"), Map.entry("COMMAND", "command"), Map.entry("--name", "container"),
            Map.entry("--hostname", "hostname"), Map.entry("--env", "env"), Map.entry("--workdir", "workdir"),
            Map.entry("--user", "user"), Map.entry("--entrypoint", "entrypoint"), Map.entry("--volume", "volume"),
            Map.entry("--tmpfs", "tmpfs"), Map.entry("--network", "network"), Map.entry("--publish", "port"),
            Map.entry("--cpus", "cpus"), Map.entry("--cpu-period", "cpuPeriod"), Map.entry("--cpu-quota", "cpuQuota"),
            Map.entry("--cpu-shares", "cpuShares"), Map.entry("--cpuset-cpus", "cpuset"),
            Map.entry("--memory", "memory"), Map.entry("--memory-swap", "memorySwap"),
            Map.entry("--memory-reservation", "memoryReservation"), Map.entry("--pids-limit", "pids"),
            Map.entry("--blkio-weight", "blkioWeight"), Map.entry("--cap-add", "capAdd"), Map.entry("--cap-drop", "capDrop"),
            Map.entry("--device", "device"), Map.entry("--device-cgroup-rule", "deviceCgroupRule"),
            Map.entry("--security-opt seccomp", "seccomp"),
            Map.entry("--sysctl", "sysctl"), Map.entry("--ulimit", "ulimit"), Map.entry("--oom-score-adj", "oomScoreAdj"),
            Map.entry("--shm-size", "shmSize"), Map.entry("--group-add", "groupAdd"),
            Map.entry("--memory-swappiness", "memorySwappiness"),
            Map.entry("--dns", "dns"), Map.entry("--dns-search", "dnsSearch"), Map.entry("--dns-option", "dnsOption"),
            Map.entry("--add-host", "addHost"), Map.entry("--expose", "expose"), Map.entry("--mac-address", "network"), Map.entry("--stop-signal", "stopSignal"), Map.entry("--stop-timeout", "stopTimeout"),
            Map.entry("--log-opt", "logOpt"), Map.entry("--log-opt max-size", "logOpt maxSize"), Map.entry("--log-opt max-file", "logOpt maxFile"), Map.entry("--userns", "userns"),
            Map.entry("--ipc", "ipc"), Map.entry("--pid", "pid"), Map.entry("--uts", "uts"), Map.entry("--cgroupns", "cgroupns"),
            Map.entry("--volumes-from", "volumesFrom"), Map.entry("--device-read-iops", "deviceReadIops"),
            Map.entry("--device-write-iops", "deviceWriteIops"), Map.entry("--blkio-weight-device", "blkioWeightDevice"));

    private final ContainerSpec.Builder spec;
    private final String name;
    private final String scriptFile;
    private final Path baseDir;
    private final Map<String, StackTraceElement> lines = new HashMap<>();
    private final List<String> logOpts = new ArrayList<>();
    private boolean hostnameSet;
    private String stopSignal;
    private Integer stopTimeout;
    private final List<String> exposed = new ArrayList<>();
    private boolean publishAll;

    /**
     * @param scriptFile the script's file name, to find the caller's line
     * @param baseDir    what relative bind-mount sources are relative to: the script's directory
     */
    public ContainerBuilder(String name, String scriptFile, Path baseDir) {
        this.name = name;
        this.scriptFile = scriptFile;
        this.baseDir = baseDir;
        this.spec = ContainerSpec.builder(null).name(name);
        lines.put("container", ScriptLines.caller(scriptFile));
    }

    private void at(String field) { lines.put(field, ScriptLines.caller(scriptFile)); }

    // ---- image and process ---------------------------------------------------------------------

    /** IMAGE: {@code busybox}, {@code name:tag}. */
    public void image(String image) { at("image"); spec.image(image); }

    /** COMMAND [ARG...] after the image. */
    public void command(Object... argv) { at("command"); spec.command(strings(argv)); }

    public void command(List<?> argv) { command(argv.toArray()); }

    /** {@code --entrypoint}; with no arguments, an empty entrypoint (as {@code --entrypoint ""}). */
    public void entrypoint(Object... argv) { at("entrypoint"); spec.process().entrypoint(strings(argv)); }

    /** {@code -e K=V} for each entry: {@code env GREETING: 'hello', DEBUG: 1}. */
    public void env(Map<String, ?> vars) {
        at("env");
        vars.forEach((k, v) -> spec.process().env(k, String.valueOf(v)));
    }

    public void env(String key, Object value) { at("env"); spec.process().env(key, String.valueOf(value)); }

    /** {@code -w}. */
    public void workdir(String dir) { at("workdir"); spec.process().workdir(dir); }

    /** {@code -u}: a name, {@code UID} or {@code UID:GID}. */
    public void user(Object user) { at("user"); spec.process().user(String.valueOf(user)); }

    /** {@code -h}. Defaults to the container's name in the DSL (docker uses the id). */
    public void hostname(String hostname) { at("hostname"); hostnameSet = true; spec.hostname(hostname); }

    /** {@code -t}. */
    public void tty(boolean tty) { spec.process().tty(tty); }

    /** {@code --read-only}: the container's root filesystem cannot be written. */
    public void readOnly(boolean readOnly) { spec.readOnlyRootfs(readOnly); }

    /** {@code -l K=V} for each entry. */
    public void label(Map<String, ?> labels) { labels.forEach((k, v) -> spec.label(k, String.valueOf(v))); }

    // ---- resources -----------------------------------------------------------------------------

    /** {@code --cpus 0.5}. */
    public void cpus(Number cpus) { at("cpus"); spec.resources().cpus(cpus.doubleValue()); }

    /** {@code --cpu-shares}. */
    public void cpuShares(Number shares) { at("cpuShares"); spec.resources().cpuShares(shares.longValue()); }

    /** {@code --cpu-period} in microseconds (a Duration is converted). */
    public void cpuPeriod(Object period) { at("cpuPeriod"); spec.resources().cpuPeriod(micros("cpuPeriod", period)); }

    /** {@code --cpu-quota} in microseconds (a Duration is converted). */
    public void cpuQuota(Object quota) { at("cpuQuota"); spec.resources().cpuQuota(micros("cpuQuota", quota)); }

    /** {@code --cpuset-cpus 0-1}. */
    public void cpuset(String cpus) { at("cpuset"); spec.resources().cpusetCpus(cpus); }

    /** {@code -m}: {@code 64.mb}, a byte count, or docker's text {@code '64m'}. */
    public void memory(Object size) { at("memory"); spec.resources().memory(bytes("memory", size)); }

    /** {@code --memory-swap}: memory plus swap; -1 for unlimited swap. */
    public void memorySwap(Object size) {
        at("memorySwap");
        spec.resources().memorySwap("-1".equals(String.valueOf(size)) ? -1L : bytes("memorySwap", size));
    }

    /** {@code --memory-reservation}. */
    public void memoryReservation(Object size) { at("memoryReservation"); spec.resources().memoryReservation(bytes("memoryReservation", size)); }

    /** {@code --pids-limit}. */
    public void pids(Number limit) { at("pids"); spec.resources().pidsLimit(limit.longValue()); }

    /** {@code --blkio-weight}. */
    public void blkioWeight(Number weight) { at("blkioWeight"); spec.resources().blkioWeight(weight.intValue()); }

    /** {@code --device-write-bps /dev/sda:1mb}: {@code deviceWriteBps '/dev/sda', 1.mb}. */
    public void deviceWriteBps(String device, Object rate) {
        at("deviceWriteBps");
        spec.resources().deviceWriteBps(new Resources.DeviceRate(device, bytes("deviceWriteBps", rate)));
    }

    /** {@code --device-read-bps /dev/sda:1mb}. */
    public void deviceReadBps(String device, Object rate) {
        at("deviceReadBps");
        spec.resources().deviceReadBps(new Resources.DeviceRate(device, bytes("deviceReadBps", rate)));
    }

    /** {@code --device-read-iops /dev/sda:1000}: {@code deviceReadIops '/dev/sda', 1000}. */
    public void deviceReadIops(String device, Number perSecond) {
        at("deviceReadIops");
        spec.resources().deviceReadIops(placedIfBad(() -> Resources.DeviceIops.parse("--device-read-iops", device + ":" + perSecond)));
    }

    /** {@code --device-write-iops /dev/sda:1000}: {@code deviceWriteIops '/dev/sda', 1000}. */
    public void deviceWriteIops(String device, Number perSecond) {
        at("deviceWriteIops");
        spec.resources().deviceWriteIops(placedIfBad(() -> Resources.DeviceIops.parse("--device-write-iops", device + ":" + perSecond)));
    }

    /** {@code --blkio-weight-device /dev/sda:200}: {@code blkioWeightDevice '/dev/sda', 200}. */
    public void blkioWeightDevice(String device, Number weight) {
        at("blkioWeightDevice");
        spec.resources().blkioWeightDevice(placedIfBad(() -> Resources.DeviceWeight.parse("--blkio-weight-device", device + ":" + weight)));
    }

    // ---- namespaces -----------------------------------------------------------------------------

    /** {@code --ipc}: {@code ipc 'shareable'}, {@code 'host'}, {@code 'none'}, {@code 'private'} or {@code 'container:NAME'}. */
    public void ipc(String mode) { at("ipc"); spec.namespaces(sharing = sharing.withIpc(mode)); }

    /** {@code --pid}: {@code pid 'host'}, {@code 'private'} or {@code 'container:NAME'} (dies with NAME's). */
    public void pid(String mode) { at("pid"); spec.namespaces(sharing = sharing.withPid(mode)); }

    /** {@code --uts}: {@code uts 'host'} or {@code 'private'}. */
    public void uts(String mode) { at("uts"); spec.namespaces(sharing = sharing.withUts(mode)); }

    /** {@code --cgroupns}: {@code cgroupns 'host'} or {@code 'private'}. */
    public void cgroupns(String mode) { at("cgroupns"); spec.namespaces(sharing = sharing.withCgroupns(mode)); }

    private dev.hutch.spec.NamespaceSharing sharing = dev.hutch.spec.NamespaceSharing.DEFAULT;

    private dev.hutch.spec.NamespaceSharing namespaces() { return sharing; }

    /** {@code --volumes-from}: {@code volumesFrom 'data'}, {@code 'data:ro'}, as many as on the command line. */
    public void volumesFrom(String... containers) {
        at("volumesFrom");
        for (String c : containers) spec.volumesFrom(placedIfBad(() -> { dev.hutch.spec.VolumesFrom.parse(c); return c; }));
    }

    // ---- logs -----------------------------------------------------------------------------------

    /**
     * {@code --log-opt max-size=SIZE --log-opt max-file=N}: {@code logOpt maxSize: 10.mb, maxFile: 3}
     * (a size as for {@code memory}; {@code maxSize: -1} for no cap). What is not given keeps the
     * default, 20m x 5, as on the command line.
     */
    public void logOpt(Map<String, ?> options) {
        atLogOpt();
        List<String> opts = new ArrayList<>();
        options.forEach((k, v) -> {
            switch (k) {
                case "maxSize" -> opts.add("max-size=" + ("-1".equals(String.valueOf(v)) ? "-1"
                        : Long.toString(placedIfBad(() -> bytes("--log-opt max-size", v)))));
                case "maxFile" -> opts.add("max-file=" + v);
                default -> throw placed(new InvalidSpecException("--log-opt", k, "is not a log option (try maxSize: 10.mb, maxFile: 3)"));
            }
        });
        addLogOpts(opts);
    }

    /** docker's text, as many as on the command line: {@code logOpt 'max-size=10m', 'max-file=3'}. */
    public void logOpt(String... opts) { atLogOpt(); addLogOpts(List.of(opts)); }

    private void atLogOpt() {
        for (String field : List.of("logOpt", "logOpt maxSize", "logOpt maxFile")) at(field);
    }

    private void addLogOpts(List<String> opts) {
        logOpts.addAll(opts);
        spec.log(placedIfBad(() -> dev.hutch.spec.LogConfig.parse(logOpts)));
    }

    // ---- security -------------------------------------------------------------------------------

    /** {@code --privileged}: all capabilities and devices, no seccomp, no masked paths. */
    public void privileged(boolean privileged) { spec.security().privileged(privileged); }

    /**
     * {@code --userns}: {@code userns 'auto'} (root inside is an unprivileged uid outside),
     * {@code userns 'auto:size=65536'}, or {@code userns 'host'} (the default).
     */
    public void userns(String mode) {
        at("userns");
        spec.security().userns(placedIfBad(() -> dev.hutch.spec.UserNamespaceMode.parse(mode)));
    }

    /** {@code --cap-add}: {@code capAdd 'NET_ADMIN', 'SYS_PTRACE'} (or {@code 'ALL'}). */
    public void capAdd(String... caps) {
        at("capAdd");
        for (String c : caps) spec.security().capAdd(placedIfBad(() -> Capabilities.normalize("--cap-add", c)));
    }

    /** {@code --cap-drop}: {@code capDrop 'ALL'}. */
    public void capDrop(String... caps) {
        at("capDrop");
        for (String c : caps) spec.security().capDrop(placedIfBad(() -> Capabilities.normalize("--cap-drop", c)));
    }

    /**
     * {@code --security-opt seccomp=...}: {@code seccomp 'unconfined'}, or a docker JSON profile's
     * path (relative to the script's directory).
     */
    public void seccomp(String profile) {
        at("seccomp");
        if (SecurityOptions.UNCONFINED.equals(profile)) {
            spec.security().seccompProfile(SecurityOptions.UNCONFINED);
            return;
        }
        Path file = baseDir.resolve(profile);
        String json = placedIfBad(() -> {
            try {
                return java.nio.file.Files.readString(file);
            } catch (java.io.IOException e) {
                throw new InvalidSpecException("--security-opt seccomp", profile, "cannot be read (" + e.getMessage() + ")");
            }
        });
        placedIfBad(() -> SeccompProfile.parse(json, profile));
        spec.security().seccompProfile(json);
    }

    /** {@code --security-opt no-new-privileges[=false]}; on unless turned off. */
    public void noNewPrivileges(boolean on) { spec.security().noNewPrivileges(on); }

    /** {@code --device HOST[:CONTAINER[:rwm]]}: {@code device '/dev/fuse'}. */
    public void device(String mapping) {
        at("device");
        spec.security().device(placedIfBad(() -> SecurityOptions.DeviceMapping.parse(mapping)));
    }

    /** {@code --device-cgroup-rule 'c 1:3 rwm'}: {@code deviceCgroupRule 'c 10:229 rwm'}. */
    public void deviceCgroupRule(String rule) {
        at("deviceCgroupRule");
        spec.security().deviceCgroupRule(placedIfBad(() -> SecurityOptions.DeviceCgroupRule.parse(rule)));
    }

    private <T> T placedIfBad(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidSpecException e) {
            throw placed(e);
        }
    }

    // ---- kernel ---------------------------------------------------------------------------------

    /** {@code --sysctl K=V} for each entry: {@code sysctl 'net.ipv4.ip_forward': 1, 'kernel.shmmax': 1.gb}. */
    public void sysctl(Map<String, ?> values) {
        at("sysctl");
        values.forEach((k, v) -> spec.kernel().sysctl(k, String.valueOf(v)));
    }

    public void sysctl(String name, Object value) { at("sysctl"); spec.kernel().sysctl(name, String.valueOf(value)); }

    /** {@code --ulimit nofile=1024:2048}: {@code ulimit 'nofile', 1024, 2048}; one value sets both; -1 is unlimited. */
    public void ulimit(String name, Number soft, Number hard) {
        at("ulimit");
        spec.kernel().ulimit(new dev.hutch.spec.KernelOptions.Ulimit(name, soft.longValue(), hard.longValue()));
    }

    public void ulimit(String name, Number both) { ulimit(name, both, both); }

    /** docker's text: {@code ulimit 'nofile=1024:2048'}. */
    public void ulimit(String text) { at("ulimit"); spec.kernel().ulimit(placedIfBad(() -> dev.hutch.spec.UlimitText.parse(text))); }

    /** {@code --oom-score-adj}: -1000 to 1000. */
    public void oomScoreAdj(int value) { at("oomScoreAdj"); spec.kernel().oomScoreAdj(value); }

    /** {@code --oom-kill-disable} (cgroup v1; v2 has no such switch and ignores it). */
    public void oomKillDisable(boolean on) { spec.resources().oomKillDisable(on ? Boolean.TRUE : null); }

    /** {@code --memory-swappiness} 0 to 100 (cgroup v1; v2 ignores it). */
    public void memorySwappiness(int value) { at("memorySwappiness"); spec.resources().memorySwappiness((long) value); }

    /** {@code --cgroup-parent}: {@code cgroupParent 'hutch/ci'}, hutch's own parent or a group below it. */
    public void cgroupParent(String parent) { spec.resources().cgroupParent(parent); }

    /** {@code --shm-size}: {@code shmSize 256.mb} or {@code shmSize '256m'}. */
    public void shmSize(Object size) { at("shmSize"); spec.kernel().shmSize(placedIfBad(() -> bytes("--shm-size", size))); }

    /** {@code --group-add}: {@code groupAdd 'audio', 1234}. */
    public void groupAdd(Object... groups) {
        at("groupAdd");
        for (Object g : groups) spec.kernel().groupAdd(String.valueOf(g));
    }

    // ---- names and stop -------------------------------------------------------------------------

    /** {@code --dns}: {@code dns '10.0.0.2', '10.0.0.3'} (replaces the host's nameservers). */
    public void dns(String... servers) { at("dns"); for (String d : servers) spec.names().dns(d); }

    /** {@code --dns-search}: {@code dnsSearch 'corp.example'} ({@code '.'} for none). */
    public void dnsSearch(String... domains) { at("dnsSearch"); for (String d : domains) spec.names().dnsSearch(d); }

    /** {@code --dns-option}: {@code dnsOption 'ndots:2'}. */
    public void dnsOption(String... options) { at("dnsOption"); for (String o : options) spec.names().dnsOption(o); }

    /** {@code --add-host NAME:IP} for each entry: {@code addHost db: '10.0.0.5', gw: 'host-gateway'}. */
    public void addHost(Map<String, ?> hosts) {
        at("addHost");
        hosts.forEach((name, ip) -> spec.names().extraHost(name + ":" + ip));
    }

    /** {@code --stop-signal}: {@code stopSignal 'SIGUSR1'}. */
    public void stopSignal(String signal) { at("stopSignal"); stopSignal = signal; spec.stop(new dev.hutch.spec.StopPolicy(stopSignal, stopTimeout)); }

    /** {@code --stop-timeout} in seconds (a Duration is converted): {@code stopTimeout 3}. */
    public void stopTimeout(Object timeout) {
        at("stopTimeout");
        stopTimeout = placedIfBad(() -> {
            if (timeout instanceof java.time.Duration d) return (int) d.toSeconds();
            try {
                return Integer.valueOf(String.valueOf(timeout));
            } catch (NumberFormatException e) {
                throw new InvalidSpecException("--stop-timeout", timeout, "is not a whole number of seconds (try 3 or 3.s)");
            }
        });
        spec.stop(new dev.hutch.spec.StopPolicy(stopSignal, stopTimeout));
    }

    // ---- mounts --------------------------------------------------------------------------------

    /**
     * {@code -v SOURCE:TARGET[:ro]}: a source starting with {@code /} or {@code .} is a host path
     * (relative ones are relative to the script's directory), anything else a named volume.
     * {@code volume '/srv/site', '/www', readOnly: true}; {@code idmap: true} is {@code -v ...:idmap}.
     */
    public void volume(Map<String, ?> options, String source, String target) {
        at("volume");
        boolean ro = Boolean.TRUE.equals(options.get("readOnly")) || Boolean.TRUE.equals(options.get("ro"));
        if (source.isEmpty()) throw new InvalidSpecException("volume", source, "has an empty source (use volume '/data' for an anonymous volume)");
        boolean idmap = Boolean.TRUE.equals(options.get("idmap"));
        Mount m;
        if (source.startsWith("/")) m = Mount.bind(Path.of(source).normalize().toString(), target, ro);
        else if (source.startsWith(".")) m = Mount.bind(baseDir.resolve(source).toAbsolutePath().normalize().toString(), target, ro);
        else m = Mount.volume(source, target, ro);
        // -v HOST:CTR:idmap, with userns 'auto' (checked with the rest of the spec)
        if (idmap) m = new Mount(m.type(), m.source(), m.target(), ro, Map.of(Mount.IDMAP, "true"));
        spec.mount(m);
    }

    public void volume(String source, String target) { volume(Map.of(), source, target); }

    /** {@code -v TARGET}: an anonymous volume, removed with the container. */
    public void volume(String target) { at("volume"); spec.mount(Mount.volume("", target, false)); }

    /** {@code --tmpfs TARGET[:size=..,mode=..]}: {@code tmpfs '/run', size: 16.mb, mode: '1777'}. */
    public void tmpfs(Map<String, ?> options, String target) {
        at("tmpfs");
        Map<String, String> o = new LinkedHashMap<>();
        if (options.containsKey("size")) o.put("size", Long.toString(bytes("tmpfs", options.get("size"))));
        if (options.containsKey("mode")) o.put("mode", String.valueOf(options.get("mode")));
        spec.mount(Mount.tmpfs(target, o));
    }

    public void tmpfs(String target) { tmpfs(Map.of(), target); }

    // ---- network -------------------------------------------------------------------------------

    /**
     * {@code -p HOSTPORT:CONTAINERPORT}: {@code port 8080, 80}; {@code port 8080, 80, ip: '127.0.0.1'};
     * {@code port 0, 80} picks a free host port.
     */
    public void port(Map<String, ?> options, int hostPort, int containerPort) {
        at("port");
        Object ip = options.get("ip");
        Object proto = options.get("protocol");
        String text = (ip == null ? "" : ip + ":") + hostPort + ":" + containerPort + (proto == null ? "" : "/" + proto);
        spec.port(PortMapping.parse(text));
    }

    public void port(int hostPort, int containerPort) { port(Map.of(), hostPort, containerPort); }

    /** {@code --expose}: {@code expose 8080, '9000-9001/udp'} (published by {@code publishAll true}). */
    public void expose(Object... ports) {
        at("expose");
        for (Object p : ports) for (String e : placedIfBad(() -> dev.hutch.spec.PortExposure.parse(String.valueOf(p))))
            if (!exposed.contains(e)) exposed.add(e);
        spec.exposure(new dev.hutch.spec.PortExposure(exposed, publishAll));
    }

    /** {@code -P}: every port of the image's EXPOSE and of {@code expose} on a free host port. */
    public void publishAll(boolean on) {
        publishAll = on;
        spec.exposure(new dev.hutch.spec.PortExposure(exposed, publishAll));
    }

    /** docker's {@code -p} text: {@code port '127.0.0.1:8080:80/tcp'}. */
    public void port(String mapping) { at("port"); spec.port(PortMapping.parse(mapping)); }

    /**
     * {@code --network}: a network handle from {@code network('lab') {...}}, or a name
     * ({@code 'none'}, {@code 'host'}, {@code 'bridge'}, {@code 'container:web'}, a user network).
     * Options: {@code alias: 'db'} or a list ({@code --network-alias}), {@code ip: '10.123.0.9'} ({@code --ip}),
     * {@code ip6: 'fd68:7574:6368:1::9'} ({@code --ip6}, on a network made with IPv6), {@code mac: '02:42:ac:11:00:02'} ({@code --mac-address}).
     */
    public void network(Map<String, ?> options, Object network) {
        at("network");
        String n = network instanceof NetworkHandle h ? h.getName() : String.valueOf(network);
        Object alias = options.get("alias");
        List<String> aliases = alias == null ? List.of()
                : alias instanceof List<?> l ? strings(l.toArray()) : List.of(String.valueOf(alias));
        Object ip = options.get("ip"), ip6 = options.get("ip6"), mac = options.get("mac");
        spec.network(new NetworkAttachment(n, aliases, ip == null ? null : String.valueOf(ip), mac == null ? null : String.valueOf(mac),
                ip6 == null ? null : String.valueOf(ip6)));
    }

    public void network(Object network) { network(Map.of(), network); }

    // ---- result --------------------------------------------------------------------------------

    /**
     * The finished spec, validated as {@code hutch run} validates it. A bad value is reported at the
     * script line that set it: {@code web.groovy:4: memory: "..." is not a size}.
     */
    public ContainerSpec build() {
        // the container's name as its host name, unless it has the host's (uts 'host')
        if (!hostnameSet && name != null && !"host".equals(sharing.uts())) spec.hostname(name);
        ContainerSpec s = spec.build();
        try {
            return SpecValidator.validate(s, HostInfo.cpus());
        } catch (InvalidSpecException e) {
            throw placed(e);
        }
    }

    /** A spec error, reworded with the DSL's name for the field and placed at the line that set it. */
    ScriptFailure placed(InvalidSpecException e) {
        String dslName = DSL_NAME_OF_FLAG.getOrDefault(e.field(), e.field());
        String message = e.getMessage();
        if (message.startsWith(e.field() + ":")) message = dslName + message.substring(e.field().length());
        StackTraceElement where = lines.getOrDefault(dslName, lines.get("container"));
        return new ScriptFailure(ScriptLines.where(scriptFile, where), message, e.exitCode(), e);
    }

    // ---- conversions ---------------------------------------------------------------------------

    static List<String> strings(Object[] values) {
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) out.add(String.valueOf(v));
        return out;
    }

    /** A byte count: a number (from {@code 64.mb}) or docker's size text ({@code '64m'}). */
    static long bytes(String field, Object size) {
        if (size instanceof Number n) {
            if (n.doubleValue() < 0) throw new InvalidSpecException(field, n, "is negative (try 64.mb)");
            return n.longValue();
        }
        return ByteSize.parse(field, size == null ? null : String.valueOf(size));
    }

    static long micros(String field, Object value) {
        if (value instanceof java.time.Duration d) return d.toNanos() / 1000;
        if (value instanceof Number n) return n.longValue();
        throw new InvalidSpecException(field, value, "is not microseconds or a duration (try 100.ms or 100000)");
    }
}
