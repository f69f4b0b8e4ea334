package dev.hutch.cli.filter;

import dev.hutch.engine.Engine;
import dev.hutch.image.Image;
import dev.hutch.net.Endpoint;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.Mount;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.HealthRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * docker's container list filters, for {@code hutch ps} and {@code GET /containers/json} alike, as
 * dockerd reads them: {@code name} a regular expression searched in "/NAME", {@code id} a prefix,
 * {@code status} one of docker's states, {@code health} (none without a check), {@code exited=CODE}
 * (containers that ran and exited with it), {@code ancestor} an image by name or id (so every tag
 * of it), {@code network} a name or id prefix, {@code volume} a volume name, bind source or mount
 * destination, {@code publish}/{@code expose} a container port or range with an optional protocol,
 * {@code before}/{@code since} another container by creation order, {@code label} KEY or KEY=VALUE
 * (all must hold). Values of one key are alternatives; keys must all hold.
 */
public final class ContainerFilter {
    static final Set<String> KEYS = Set.of("ancestor", "before", "exited", "expose", "health", "id", "label", "name",
            "network", "publish", "since", "status", "volume");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");

    private final FilterArgs args;
    private final List<Pattern> names = new ArrayList<>();
    private final Set<Integer> exitCodes = new HashSet<>();
    private final Set<String> published, exposed;

    /** Checks every key and value first, so a bad filter is refused before anything is listed. */
    public ContainerFilter(FilterArgs args) {
        args.onlyKeys(KEYS);
        this.args = args;
        for (String s : args.values("status"))
            if (!STATUSES.contains(s)) throw BadFilterException.invalid("status", s, "use " + String.join(", ", new java.util.TreeSet<>(STATUSES)));
        for (String s : args.values("health"))
            if (!HEALTH.contains(s)) throw BadFilterException.invalid("health", s, "use starting, healthy, unhealthy or none");
        for (String s : args.values("name")) {
            try {
                names.add(Pattern.compile(s));
            } catch (PatternSyntaxException e) {
                throw BadFilterException.invalid("name", s, "not a regular expression");
            }
        }
        for (String s : args.values("exited")) {
            try {
                exitCodes.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw BadFilterException.invalid("exited", s, "an exit code is a number, like exited=137");
            }
        }
        published = ports("publish");
        exposed = ports("expose");
    }

    /** "PORT[/PROTO]" or "FIRST-LAST[/PROTO]" values as "80/tcp" entries (tcp when no protocol is given, as docker). */
    private Set<String> ports(String key) {
        Set<String> out = new HashSet<>();
        for (String v : args.values(key)) {
            int slash = v.indexOf('/');
            String range = slash < 0 ? v : v.substring(0, slash), proto = slash < 0 ? "tcp" : v.substring(slash + 1).toLowerCase();
            int dash = range.indexOf('-');
            int first, last;
            try {
                first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw BadFilterException.invalid(key, v, "use PORT[/PROTO] or FIRST-LAST[/PROTO], like " + key + "=8080/tcp");
            }
            if (first < 1 || last > 65535 || last < first || !(proto.equals("tcp") || proto.equals("udp") || proto.equals("sctp")))
                throw BadFilterException.invalid(key, v, "use PORT[/PROTO] or FIRST-LAST[/PROTO], like " + key + "=8080/tcp");
            for (int p = first; p <= last; p++) out.add(p + "/" + proto);
        }
        return out;
    }

    public boolean isEmpty() { return args.byKey().values().stream().allMatch(List::isEmpty); }

    /**
     * The containers to list, newest first, as dockerd's list: only running ones unless {@code all},
     * a status filter or a limit asks for every state; then the filters; then the first {@code limit}.
     *
     * @param limit docker's {@code -n}/{@code limit}; 0 or less for no limit
     */
    public List<ContainerState> select(Engine engine, boolean all, int limit) {
        boolean every = all || limit > 0 || args.has("status");
        Lookup lookup = new Lookup(engine);
        List<ContainerState> out = new ArrayList<>();
        for (ContainerState s : engine.list(true)) {
            if (!every && !(s.isRunning() || s.status() == ContainerStatus.RESTARTING)) continue;
            if (!admits(s, lookup)) continue;
            if (limit > 0 && out.size() >= limit) break;
            out.add(s);
        }
        return out;
    }

    private boolean admits(ContainerState s, Lookup l) {
        ContainerSpec spec = s.spec();
        if (args.has("status") && !args.values("status").contains(s.status().label())) return false;
        if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher("/" + s.name()).find())) return false;
        if (args.has("id") && args.values("id").stream().noneMatch(s.id()::startsWith)) return false;
        if (!args.labelsMatch(spec.labels())) return false;
        if (!exitCodes.isEmpty() && (s.isRunning() || s.started() == null || s.exitCode() == null || !exitCodes.contains(s.exitCode())))
            return false;
        if (args.has("health")) {
            HealthRecord h = l.engine.states().health(s);
            if (!args.values("health").contains(h == null ? "none" : h.status())) return false;
        }
        if (args.has("ancestor") && (s.imageId() == null || !l.ancestors(args.values("ancestor")).contains(s.imageId()))) return false;
        if (args.has("network") && !onNetwork(s, l)) return false;
        if (args.has("volume") && !hasVolume(spec)) return false;
        if (!published.isEmpty() && publishedPorts(s).stream().noneMatch(published::contains)) return false;
        if (!exposed.isEmpty() && l.exposedPorts(s).stream().noneMatch(exposed::contains)) return false;
        for (String ref : args.values("before")) if (!createdBefore(s, l.container(ref))) return false;
        for (String ref : args.values("since")) if (!createdBefore(l.container(ref), s)) return false;
        return true;
    }

    private static boolean createdBefore(ContainerState a, ContainerState b) {
        return !a.id().equals(b.id()) && a.created() != null && b.created() != null && a.created().isBefore(b.created());
    }

    /** docker's network filter: a network the container is attached to, by its name or a prefix of its id. */
    private boolean onNetwork(ContainerState s, Lookup l) {
        Set<String> nets = new HashSet<>();
        for (NetworkAttachment a : s.spec().networks()) nets.add(a.network());
        if (s.spec().networks().isEmpty()) nets.add(s.spec().primaryNetwork().network());
        for (Endpoint e : s.network().endpoints()) nets.add(e.network());
        for (String want : args.values("network")) {
            if (nets.contains(want)) return true;
            for (String n : nets) {
                String id = l.networkIds().get(n);
                if (id != null && !want.isEmpty() && id.startsWith(want)) return true;
            }
        }
        return false;
    }

    /** docker's volume filter: a mount's volume name (or a bind's host path) or its destination. */
    private boolean hasVolume(ContainerSpec spec) {
        for (Mount m : spec.mounts()) {
            if (m.type() == Mount.Type.TMPFS) continue;
            for (String want : args.values("volume"))
                if (want.equals(m.target()) || (!m.source().isEmpty() && want.equals(m.source()))) return true;
        }
        return false;
    }

    /** The container ports with a host binding (as docker's PortBindings keys): -p, and -P's exposed ports. */
    private static Set<String> publishedPorts(ContainerState s) {
        Set<String> out = new HashSet<>();
        for (PortMapping p : s.spec().ports()) out.add(p.containerPort() + "/" + p.protocol());
        for (PortMapping p : s.network().bindings()) out.add(p.containerPort() + "/" + p.protocol());
        if (s.spec().exposure().publishAll()) out.addAll(s.spec().exposure().ports());
        return out;
    }

    /** What one listing looks up at most once: images by reference, networks' ids, containers by reference. */
    private static final class Lookup {
        final Engine engine;
        private Set<String> ancestors;
        private Map<String, String> networkIds;
        private final Map<String, ContainerState> containers = new HashMap<>();
        private final Map<String, List<String>> imageExposed = new HashMap<>();

        Lookup(Engine engine) { this.engine = engine; }

        /** The image ids named; an unknown image names none (dockerd logs it and lists nothing for it). */
        Set<String> ancestors(List<String> refs) {
            if (ancestors == null) {
                ancestors = new HashSet<>();
                for (String ref : refs) {
                    Image i = engine.images().find(ref);
                    if (i != null) ancestors.add(i.id());
                }
            }
            return ancestors;
        }

        Map<String, String> networkIds() {
            if (networkIds == null) {
                networkIds = new HashMap<>();
                for (NetworkConfig n : new dev.hutch.net.Networks(engine.networking()).list()) networkIds.put(n.name(), n.id());
            }
            return networkIds;
        }

        /**
         * before=/since=: an unknown container is an error, dockerd's "No such container" (404 from
         * the API); on the command line a bad filter value, so 125 as the other filter checks.
         */
        ContainerState container(String ref) {
            return containers.computeIfAbsent(ref, r -> {
                try {
                    return engine.inspect(r);
                } catch (dev.hutch.NotFoundException e) {
                    throw new dev.hutch.NotFoundException("No such container: " + r + " (before= and since= name a container: see hutch ps -a)");
                }
            });
        }

        /** The image's EXPOSE, --expose and the -p container ports, as docker's ExposedPorts. */
        Set<String> exposedPorts(ContainerState s) {
            Set<String> out = publishedPorts(s);
            out.addAll(s.spec().exposure().ports());
            if (s.imageId() != null) out.addAll(imageExposed.computeIfAbsent(s.imageId(), id -> {
                Image i = engine.images().find(id);
                return i == null ? List.of() : i.config().exposedPorts();
            }));
            return out;
        }
    }
}
