package dev.hutch.spec;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a bad spec into one clear error before anything on the host changes. Each check is small
 * and names the flag, the value and what would be accepted (runc's validate package does the same).
 * Resource limits have their own list in {@link ResourceValidator}.
 */
public final class SpecValidator {
    /** docker's container name rule; it also keeps names safe as path parts (no '/', no leading '.'). */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Pattern HOSTNAME = Pattern.compile("(?=.{1,63}$)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*");
    private static final Pattern ENV_KEY = Pattern.compile("[^=\\x00]+");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern USER = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?");

    private SpecValidator() {}

    public static ContainerSpec validate(ContainerSpec spec, int hostCpus) {
        checkImage(spec.image());
        if (spec.name() != null) checkName("--name", spec.name());
        if (spec.hostname() != null && !HOSTNAME.matcher(spec.hostname()).matches())
            throw new InvalidSpecException("--hostname", spec.hostname(), "is not a valid hostname (letters, digits, '-' and '.', at most 63 characters)");
        checkProcess(spec.process());
        for (Mount m : spec.mounts()) checkMount(m);
        checkNetworks(spec.networks(), spec.ports());
        ResourceValidator.validate(spec.resources(), hostCpus);
        checkUserns(spec);
        NamespaceSharingValidator.validate(spec);
        for (String from : spec.volumesFrom()) VolumesFrom.parse(from);
        NetworkAttachment net = spec.primaryNetwork();
        KernelOptionsValidator.validate(spec.kernel(), !net.isHost() && !net.isContainer());
        NameResolutionValidator.validate(spec);
        checkRestartAndHealth(spec);
        return spec;
    }

    /**
     * A user namespace takes away exactly what --privileged gives (host devices, the host's root),
     * and a joined network namespace belongs to the host's user namespace, whose /sys the
     * container could not mount: both refused, as docker refuses --privileged with userns-remap.
     */
    static void checkUserns(ContainerSpec spec) {
        UserNamespaceMode u = spec.security().userns();
        for (Mount m : spec.mounts())
            if (m.idmapped() && (!u.isAuto() || m.type() != Mount.Type.BIND))
                throw new InvalidSpecException("--volume", m.source() + ":" + m.target() + ":idmap",
                        !u.isAuto() ? "needs --userns=auto (idmap maps a bind mount for the container's user namespace)"
                                : "is not a bind mount (hutch idmaps bind mounts only)");
        if (!u.isAuto()) return;
        if (spec.security().privileged())
            throw new InvalidSpecException("--userns", u.toString(), "cannot be combined with --privileged (drop one of them)");
        for (NetworkAttachment n : spec.networks())
            if (n.network().startsWith("container:"))
                throw new InvalidSpecException("--userns", u.toString(), "cannot join another container's network namespace ("
                        + n.network() + "), which its own user namespace owns; use a bridge network");
    }

    /** docker's rules for --restart and the --health-* flags. */
    public static void checkRestartAndHealth(ContainerSpec spec) {
        RestartPolicy r = spec.restart();
        if (!RestartPolicy.NAMES.contains(r.name()))
            throw new InvalidSpecException("--restart", r.name(), "is not a restart policy (use no, on-failure[:N], always or unless-stopped)");
        if (r.maxRetries() < 0)
            throw new InvalidSpecException("--restart", r, "has a negative retry count (use 0 for no limit, or a positive number)");
        if (r.maxRetries() > 0 && !r.name().equals("on-failure"))
            throw new InvalidSpecException("--restart", r, "gives a retry count, which only on-failure takes (try on-failure:3)");
        if (!r.isDefault() && !r.name().equals("no") && spec.autoRemove())
            throw new InvalidSpecException("--restart", r, "conflicts with --rm: Conflicting options: --restart and --rm (a container that"
                    + " removes itself cannot be restarted; drop one of them)");
        HealthCheck h = spec.health();
        if (h.intervalMillis() < 0) throw new InvalidSpecException("--health-interval", h.intervalMillis() + "ms", "cannot be negative");
        if (h.timeoutMillis() < 0) throw new InvalidSpecException("--health-timeout", h.timeoutMillis() + "ms", "cannot be negative");
        if (h.startPeriodMillis() < 0) throw new InvalidSpecException("--health-start-period", h.startPeriodMillis() + "ms", "cannot be negative");
        if (h.retries() < 0) throw new InvalidSpecException("--health-retries", h.retries(), "cannot be negative");
        if (!h.test().isEmpty() && !List.of("NONE", "CMD", "CMD-SHELL").contains(h.test().get(0)))
            throw new InvalidSpecException("--health-cmd", String.join(" ", h.test()), "is not a health check test (it starts with CMD, CMD-SHELL or NONE)");
        if (h.test().size() == 1 && !h.disabled())
            throw new InvalidSpecException("--health-cmd", String.join(" ", h.test()), "has no command (try --health-cmd 'wget -q -O- localhost')");
    }

    public static void checkName(String field, String name) {
        if (!NAME.matcher(name).matches())
            throw new InvalidSpecException(field, name, "is not a valid name (use letters, digits, '_', '.', '-'; start with a letter or digit; at most 128 characters)");
    }

    static void checkImage(String image) {
        if (image == null || image.isBlank())
            throw new InvalidSpecException("IMAGE", image, "is missing (try: hutch run busybox echo hi)");
        if (image.contains("..") || image.startsWith("/") || image.chars().anyMatch(c -> c <= ' '))
            throw new InvalidSpecException("IMAGE", image, "is not a valid image reference (try busybox or name:tag)");
    }

    static void checkProcess(ProcessSpec p) {
        for (String e : p.env()) {
            int eq = e.indexOf('=');
            if (eq <= 0 || !ENV_KEY.matcher(e.substring(0, eq)).matches())
                throw new InvalidSpecException("--env", e, "is not KEY=VALUE");
            if (e.indexOf('\0') >= 0) throw new InvalidSpecException("--env", e.substring(0, eq), "contains a NUL byte");
        }
        if (p.workdir() != null) checkAbsolute("--workdir", p.workdir());
        if (p.user() != null && !USER.matcher(p.user()).matches())
            throw new InvalidSpecException("--user", p.user(), "is not USER[:GROUP] or UID[:GID]");
        if (p.entrypoint() != null && p.entrypoint().stream().anyMatch(s -> s.indexOf('\0') >= 0))
            throw new InvalidSpecException("--entrypoint", String.join(" ", p.entrypoint()), "contains a NUL byte");
        if (p.command().stream().anyMatch(s -> s.indexOf('\0') >= 0))
            throw new InvalidSpecException("COMMAND", String.join(" ", p.command()), "contains a NUL byte");
    }

    static void checkMount(Mount m) {
        String field = switch (m.type()) { case TMPFS -> "--tmpfs"; default -> "--volume"; };
        checkAbsolute(field, m.target());
        if (m.target().equals("/")) throw new InvalidSpecException(field, m.target(), "cannot be mounted over the container's root");
        if (m.type() == Mount.Type.BIND) {
            checkAbsolute(field, m.source());
        } else if (m.type() == Mount.Type.VOLUME && !m.source().isEmpty()) {
            checkName(field, m.source());
        }
    }

    /** An absolute path with no '..' part, so it cannot climb out of the rootfs. */
    public static void checkAbsolute(String field, String path) {
        if (path == null || !path.startsWith("/"))
            throw new InvalidSpecException(field, path, "must be an absolute path");
        for (String part : path.split("/")) {
            if (part.equals("..")) throw new InvalidSpecException(field, path, "must not contain '..'");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0)
            throw new InvalidSpecException(field, path, "contains a NUL or newline");
    }

    static void checkNetworks(List<NetworkAttachment> networks, List<PortMapping> ports) {
        for (NetworkAttachment n : networks) {
            if (n.network() == null || n.network().isBlank())
                throw new InvalidSpecException("--network", n.network(), "is empty (use none, host, bridge, container:NAME or a network name)");
            boolean exclusive = n.isNone() || n.isHost() || n.isContainer();
            if (exclusive && networks.size() > 1)
                throw new InvalidSpecException("--network", n.network(), "cannot be combined with other networks");
            if (n.macAddress() != null) {
                // unicast (bit 0 of the first octet clear), as the kernel wants for a veth; docker checks the syntax
                if (!MAC.matcher(n.macAddress()).matches() || (Integer.parseInt(n.macAddress().substring(0, 2), 16) & 1) != 0)
                    throw new InvalidSpecException("--mac-address", n.macAddress(), "is not a unicast MAC address (try 02:42:ac:11:00:02)");
                if (!n.needsInterface())
                    throw new InvalidSpecException("--mac-address", n.macAddress(), "needs a bridge or user network, not --network " + n.network());
            }
            if (n.isContainer()) checkName("--network", n.containerRef());
            else if (!exclusive && !n.network().equals(NetworkAttachment.BRIDGE)) checkName("--network", n.network());
        }
        if (!ports.isEmpty() && !networks.isEmpty() && !networks.get(0).needsInterface())
            throw new InvalidSpecException("--publish", ports.get(0).toString(),
                    "needs a bridge or user network, not --network " + networks.get(0).network());
    }
}
