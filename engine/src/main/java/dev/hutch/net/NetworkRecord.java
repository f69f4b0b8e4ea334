package dev.hutch.net;

import dev.hutch.json.JsonReader;
import dev.hutch.spec.PortMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the network side remembers of one container, kept in its state
 * ({@code ContainerState.network}, stored as the map of {@link #toMap}; {@link #EMPTY} before the
 * run reached the network step). Everything {@link HostNetworking#release} needs is here:
 * endpoints (leases, veth names), published ports (their rules are found by the container id),
 * the netns file.
 *
 * @param mode      none, host, container, bridge (the default network or user networks)
 * @param ports     as requested in prepare; with the chosen host ports after attach
 * @param published true once attach added iptables rules (release removes rules by comment anyway)
 * @param netnsFile {@code <netnsDir>/hutch-<name>}, or null for host mode
 * @param joinedPid for container:NAME, the pid whose namespace was joined
 */
public record NetworkRecord(String mode, String containerId, String name, String hostname, List<Endpoint> endpoints,
                            List<PortMapping> ports, boolean published, String netnsFile, long joinedPid) {

    public static final String NONE = "none", HOST = "host", CONTAINER = "container", BRIDGE = "bridge";

    /** No record yet: the run has not planned its network (stored as {@code {}}); nothing to undo. */
    public static final NetworkRecord EMPTY = new NetworkRecord(NONE, null, null, null, List.of(), List.of(), false, null, 0);

    public NetworkRecord {
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
        ports = List.copyOf(ports == null ? List.of() : ports);
    }

    public NetworkRecord withEndpoints(List<Endpoint> e) {
        return new NetworkRecord(mode, containerId, name, hostname, e, ports, published, netnsFile, joinedPid);
    }

    /** After a rename: the new name, and where the netns file is now. */
    public NetworkRecord renamed(String n, String netnsFilePath) {
        return new NetworkRecord(mode, containerId, n, hostname, endpoints, ports, published, netnsFilePath, joinedPid);
    }

    /**
     * The ports as docker shows their bindings ({@code ps}, {@code port}, inspect): a port published
     * on all addresses of a container with an IPv6 address is two bindings, {@code 0.0.0.0} and
     * {@code [::]} (iptables and ip6tables, plus the monitor's proxy on {@code [::1]}).
     */
    public List<PortMapping> bindings() {
        if (ports == null) return List.of();
        boolean v6 = endpoints != null && !endpoints.isEmpty() && endpoints.get(0).ip6() != null;
        if (!v6) return ports;
        List<PortMapping> out = new java.util.ArrayList<>();
        for (PortMapping p : ports) {
            if (p.hostIp() == null || p.hostIp().isEmpty()) {
                out.add(new PortMapping("0.0.0.0", p.hostPort(), p.containerPort(), p.protocol()));
                out.add(new PortMapping("::", p.hostPort(), p.containerPort(), p.protocol()));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public NetworkRecord withPorts(List<PortMapping> p, boolean isPublished) {
        return new NetworkRecord(mode, containerId, name, hostname, endpoints, p, isPublished, netnsFile, joinedPid);
    }

    /** True for {@link #EMPTY}: a record the network step never wrote. */
    public boolean isEmpty() { return equals(EMPTY); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (isEmpty()) return m;
        m.put("mode", mode);
        m.put("containerId", containerId);
        m.put("name", name);
        m.put("hostname", hostname);
        List<Object> eps = new ArrayList<>();
        for (Endpoint e : endpoints) eps.add(e.toMap());
        m.put("endpoints", eps);
        List<Object> ps = new ArrayList<>();
        for (PortMapping p : ports) ps.add(p.toJson());
        m.put("ports", ps);
        m.put("published", published);
        if (netnsFile != null) m.put("netnsFile", netnsFile);
        if (joinedPid != 0) m.put("joinedPid", joinedPid);
        return m;
    }

    /** Reads a stored record; an empty or foreign map gives a record with nothing to undo. */
    public static NetworkRecord fromMap(Map<String, Object> m) {
        if (m == null || m.isEmpty()) return EMPTY;
        JsonReader r = new JsonReader(m);
        return new NetworkRecord(r.string("mode", NONE), r.string("containerId"), r.string("name"), r.string("hostname"),
                r.list("endpoints").stream().map(Endpoint::fromMap).toList(),
                r.list("ports").stream().map(PortMapping::fromJson).toList(),
                r.bool("published", false), r.string("netnsFile"), r.number("joinedPid", 0));
    }
}
