package dev.hutch.net;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.config.EngineConfig;
import dev.hutch.net.ipam.Ipv6;
import dev.hutch.net.ipam.Lease;
import dev.hutch.net.ipam.LeaseStore;
import dev.hutch.net.names.HostsFile;
import dev.hutch.net.names.ResolvConf;
import dev.hutch.net.nat.Iptables;
import dev.hutch.net.nat.HostPorts;
import dev.hutch.net.nat.NatRules;
import dev.hutch.net.netlink.LinkInfo;
import dev.hutch.net.netlink.RouteNetlink;
import dev.hutch.net.netns.NetnsFiles;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.net.store.NetworkStore;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.sys.Syscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine's networking: every {@code --network} mode, on the host's kernel.
 * <ul>
 *   <li>{@code none}: a new namespace with only {@code lo} (brought up by the helper, see
 *       {@link NetworkPlan#loopbackUp()}); no JNA on this path.</li>
 *   <li>{@code host}: the host's namespace; nothing to do.</li>
 *   <li>{@code container:NAME}: joins that container's namespace ({@code join_ns net /proc/PID/ns/net}).</li>
 *   <li>{@code bridge} (default) and user networks: a leased address, a veth pair into the
 *       container, address and routes set from inside, published ports as DNAT rules.</li>
 * </ul>
 * Every container's namespace except host's is exposed as {@code <netnsDir>/hutch-<name>}.
 */
public final class HostNetworking implements ContainerNetworking {
    private final EngineConfig config;
    private final Function<String, Long> initPidOf;
    private final NetworkStore store;
    private final NetnsFiles netnsFiles;
    private final HostsWriter hosts;
    private final NatRules nat, nat6;
    private final Path hostResolvConf;
    private final Supplier<Syscalls> syscalls;

    /**
     * @param initPidOf a container name or id to the host pid of its init, or null if there is no
     *                  such running container (for {@code --network container:NAME})
     */
    public HostNetworking(EngineConfig config, Function<String, Long> initPidOf) {
        this(config, initPidOf, Syscalls::jna, new Iptables(), LeaseStore.DEFAULT_GRACE_MILLIS, Path.of("/etc/resolv.conf"));
    }

    /** For tests: another syscall seam, iptables runner, lease grace and resolv.conf. */
    public HostNetworking(EngineConfig config, Function<String, Long> initPidOf, Supplier<Syscalls> syscalls,
                          Iptables iptables, long leaseGraceMillis, Path hostResolvConf) {
        this.config = config;
        this.initPidOf = initPidOf;
        this.store = new NetworkStore(config, leaseGraceMillis);
        this.netnsFiles = new NetnsFiles(config.netnsDir(), config.procRoot());
        this.hosts = new HostsWriter(config, store);
        this.nat = new NatRules(iptables, NatRules.hostLockFile(config.networksDir()));
        this.nat6 = new NatRules(iptables.forIpv6(), NatRules.hostLockFile(config.networksDir()));
        this.hostResolvConf = hostResolvConf;
        this.syscalls = syscalls;
    }

    public NetworkStore store() { return store; }

    /** Opens and closes one netlink socket: JNA and the netlink classes are loaded afterwards. */
    @Override
    public void warmUp() {
        try (RouteNetlink nl = new RouteNetlink(syscalls.get())) {
            nl.link("lo");
        } catch (RuntimeException | LinkageError ignored) {
            // A real failure will show, with its message, in attach(). LinkageError too: when the
            // run fails early the JVM may be exiting while this thread still loads JNA, whose
            // File.deleteOnExit then throws; nothing of that belongs on the user's terminal.
        }
    }

    NatRules nat() { return nat; }

    NatRules nat6() { return nat6; }

    Supplier<Syscalls> syscalls() { return syscalls; }

    // ---------------------------------------------------------------- check

    /**
     * Everything about the host that would make {@link #prepare} or {@link #attach} refuse the
     * spec, found before the run reserves its name: the networks exist and each is named once,
     * aliases and {@code --ip} only on user networks, the {@code --ip} is free, the container to
     * join runs, and the fixed host ports of {@code -p} are not held by a host program.
     * Reads only; loads no JNA.
     */
    @Override
    public void check(ContainerSpec spec) {
        List<NetworkAttachment> atts = attachments(spec);
        NetworkAttachment first = atts.get(0);
        boolean special = first.isNone() || first.isHost() || first.isContainer();
        if (special && atts.size() > 1)
            throw new InvalidSpecException("--network", first.network(), "cannot be combined with other networks");
        for (NetworkAttachment a : atts) {
            if (atts.indexOf(a) > 0 && (a.isNone() || a.isHost() || a.isContainer()))
                throw new InvalidSpecException("--network", a.network(), "cannot be combined with other networks");
        }
        if (first.isHost()) return; // docker drops -p with --network host (the ports are the host's already)
        if (!spec.ports().isEmpty() && (first.isNone() || first.isContainer()))
            throw new InvalidSpecException("--publish", spec.ports().get(0), "cannot be used with --network " + first.network()
                    + " (the container has no address of its own to forward to)");
        if (first.isNone()) return;
        if (first.isContainer()) {
            joinedPid(first);
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (NetworkAttachment a : atts) {
            NetworkConfig n = store.require(a.network());
            if (!seen.add(n.name())) throw new InvalidSpecException("--network", a.network(), "is given twice");
            if (!n.userDefined() && !a.aliases().isEmpty())
                throw new InvalidSpecException("--network-alias", String.join(",", a.aliases()), "needs a user network (`hutch network create`); the default bridge has no name resolution");
            if (!n.userDefined() && a.ipv4() != null)
                throw new InvalidSpecException("--ip", a.ipv4(), "needs a user network (`hutch network create`) with a --subnet");
            if (a.ipv4() != null) store.leases(n).checkRequest(a.ipv4());
            requireIpv6Network(n, a);
            if (a.ipv6() != null) store.leases(n).checkRequest6(a.ipv6());
        }
        NetworkConfig primary = store.require(first.network());
        for (PortMapping p : spec.ports()) {
            if (p.hostIp().contains(":") && !primary.ipv6())
                throw new InvalidSpecException("--publish", p, "publishes on an IPv6 address, but network " + primary.name()
                        + " has no IPv6 (create one with `hutch network create --ipv6`)");
            if (LoopbackProxy.isLoopback6(p.hostIp()) && !LoopbackProxy.wanted(p))
                throw new InvalidSpecException("--publish", p, "[::1] is served by the container's monitor, which proxies TCP and UDP only;"
                        + " publish " + p.protocol() + " on [::] or leave the address out");
            if (p.hostPort() != 0) HostPorts.requireFree(p.protocol(), p.hostIp(), p.hostPort());
        }
    }

    private static List<NetworkAttachment> attachments(ContainerSpec spec) {
        return spec.networks().isEmpty() ? List.of(spec.primaryNetwork()) : spec.networks();
    }

    private long joinedPid(NetworkAttachment container) {
        Long pid = initPidOf.apply(container.containerRef());
        if (pid == null || pid <= 0)
            throw new NotFoundException("--network " + container.network() + ": container " + container.containerRef()
                    + " is not a running container (see hutch ps; start it first)");
        return pid;
    }

    // ---------------------------------------------------------------- prepare

    /** After {@link #check}: reserves the addresses and plans the namespaces; changes nothing else. */
    @Override
    public NetworkPlan prepare(String containerId, String containerName, String hostname, ContainerSpec spec) {
        List<NetworkAttachment> atts = attachments(spec);
        NetworkAttachment first = atts.get(0);
        String netnsFile = netnsFiles.pathFor(containerName).toString();
        String resolv = ResolvConf.fromHost(hostResolvConf, first.isHost());
        String ownHosts = HostsFile.render(List.of(), List.of(), String.join(" ", HostsFile.names(hostname, containerName)));

        if (first.isHost()) {
            NetworkRecord r = new NetworkRecord(NetworkRecord.HOST, containerId, containerName, hostname, List.of(), List.of(),
                    false, null, 0);
            String hostHosts = readOr(Path.of("/etc/hosts"), ownHosts);
            return new PlannedNetwork(false, List.of(), false, hostHosts, resolv, r, false);
        }
        if (first.isNone()) {
            NetworkRecord r = new NetworkRecord(NetworkRecord.NONE, containerId, containerName, hostname, List.of(), List.of(),
                    false, netnsFile, 0);
            return new PlannedNetwork(true, List.of(), true, ownHosts, resolv, r, true);
        }
        if (first.isContainer()) {
            long pid = joinedPid(first);
            NetworkRecord r = new NetworkRecord(NetworkRecord.CONTAINER, containerId, containerName, hostname, List.of(),
                    List.of(), false, netnsFile, pid);
            return new PlannedNetwork(true, List.of("net " + config.procRoot().resolve(pid + "/ns/net")), true, ownHosts,
                    resolv, r, false);
        }
        List<Endpoint> endpoints = leaseAll(containerId, containerName, hostname, atts);
        NetworkRecord r = new NetworkRecord(NetworkRecord.BRIDGE, containerId, containerName, hostname, endpoints,
                spec.ports(), false, netnsFile, 0);
        return new PlannedNetwork(true, List.of(), true, renderHosts(r), resolv, r, false);
    }

    private List<Endpoint> leaseAll(String id, String name, String hostname, List<NetworkAttachment> atts) {
        List<Endpoint> done = new ArrayList<>();
        try {
            for (NetworkAttachment a : atts) {
                NetworkConfig n = store.require(a.network());
                done.add(lease(id, name, hostname, n, a, done.size()));
            }
            return done;
        } catch (RuntimeException e) {
            for (Endpoint ep : done) releaseLease(id, ep);
            throw e;
        }
    }

    private Endpoint lease(String id, String name, String hostname, NetworkConfig n, NetworkAttachment a, int index) {
        if (!n.userDefined() && !a.aliases().isEmpty())
            throw new InvalidSpecException("--network-alias", String.join(",", a.aliases()), "needs a user network (`hutch network create`); the default bridge has no name resolution");
        if (!n.userDefined() && a.ipv4() != null)
            throw new InvalidSpecException("--ip", a.ipv4(), "needs a user network (`hutch network create`) with a --subnet");
        requireIpv6Network(n, a);
        Lease l = store.leases(n).allocate(new Lease(null, id, name, hostname, a.aliases()), a.ipv4(), a.ipv6());
        return new Endpoint(n.name(), l.ip(), n.cidr().prefixLength(), n.gateway(), n.bridge(), vethName(id, index),
                "eth" + index, a.macAddress() != null ? a.macAddress() : VethWiring.macFor(l.ip()), a.aliases(),
                l.ip6(), l.ip6() == null ? 0 : n.cidr6().prefixLength(), l.ip6() == null ? null : n.gateway6());
    }

    /** docker's rule for {@code --ip6}: only on a user network that has IPv6. */
    private static void requireIpv6Network(NetworkConfig n, NetworkAttachment a) {
        if (a.ipv6() == null) return;
        if (!n.userDefined())
            throw new InvalidSpecException("--ip6", a.ipv6(), "needs a user network with IPv6 (`hutch network create --ipv6`)");
        if (!n.ipv6())
            throw new InvalidSpecException("--ip6", a.ipv6(), "needs a network with IPv6, and network " + n.name()
                    + " has none (create one with `hutch network create --ipv6`)");
    }

    /** {@code hv} + 10 characters of the id + the interface number: unique, at most 15 bytes. */
    static String vethName(String containerId, int index) {
        String clean = containerId.replaceAll("[^a-zA-Z0-9]", "");
        return "hv" + clean.substring(0, Math.min(10, clean.length())) + index;
    }

    // ---------------------------------------------------------------- attach

    @Override
    public NetworkRecord attach(NetworkPlan plan, long initPid) {
        NetworkRecord r = plan.record();
        switch (r.mode()) {
            case NetworkRecord.HOST:
                return r;
            case NetworkRecord.NONE:
            case NetworkRecord.CONTAINER:
                // a symlink: no mount syscall, so these modes never load JNA
                netnsFiles.symlink(r.name(), initPid);
                return r;
            default:
                return attachBridge(r, initPid);
        }
    }

    private NetworkRecord attachBridge(NetworkRecord r, long pid) {
        Syscalls sys = syscalls.get();
        VethWiring wiring = new VethWiring(sys, new Sysctls(config.procRoot()));
        BridgeSetup bridges = bridgeSetup();
        String nsPath = config.procRoot().resolve(pid + "/ns/net").toString();
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            Endpoint gateway6 = r.endpoints().stream().filter(e -> e.ip6() != null).findFirst().orElse(null);
            for (int i = 0; i < r.endpoints().size(); i++) {
                Endpoint e = r.endpoints().get(i);
                NetworkConfig n = store.require(e.network());
                LinkInfo bridge = bridges.ensure(nl, n);
                wiring.attach(nl, bridge, e, n.mtu(), nsPath, pid, i == 0, e == gateway6, i == 0 && !r.ports().isEmpty());
            }
        }
        netnsFiles.bindMount(r.name(), pid, sys);
        NetworkRecord done = r;
        if (!r.ports().isEmpty()) {
            Endpoint primary = r.endpoints().get(0);
            NetworkConfig n = store.require(primary.network());
            done = r.withPorts(nat.publish(r.containerId(), primary.ip(), n.bridge(), n.subnet(), r.ports()), true);
            if (primary.ip6() != null) nat6.publishChosen(r.containerId(), primary.ip6(), n.bridge(), n.subnet6(), done.ports());
        }
        hosts.refresh(userNetworks(r.endpoints()));
        return done;
    }

    BridgeSetup bridgeSetup() {
        return new BridgeSetup(nat, nat6, new Sysctls(config.procRoot()), config.networksDir());
    }

    // ---------------------------------------------------------------- release

    /**
     * Undoes prepare and attach from the record alone, in the order that lets each step succeed:
     * the netns file first (its mount pins the namespace), then the veths, the rules, the leases,
     * and last the peers' hosts files. Every step runs even if one fails; already gone is fine.
     */
    @Override
    public void release(String containerId, NetworkRecord r) {
        if (r == null || r.isEmpty()) return;
        List<String> failures = new ArrayList<>();
        if (r.netnsFile() != null) step(failures, "netns file", () -> NetnsFiles.remove(Path.of(r.netnsFile()), syscalls));
        if (!r.endpoints().isEmpty()) {
            step(failures, "veths", () -> {
                try (RouteNetlink nl = new RouteNetlink(syscalls.get())) {
                    for (Endpoint e : r.endpoints()) nl.deleteLink(e.hostVeth());
                }
            });
        }
        if (!r.ports().isEmpty()) step(failures, "port rules", () -> nat.unpublish(containerId));
        if (!r.ports().isEmpty() && r.endpoints().stream().anyMatch(e -> e.ip6() != null))
            step(failures, "IPv6 port rules", () -> nat6.unpublish(containerId));
        for (Endpoint e : r.endpoints()) step(failures, "lease " + e.ip(), () -> releaseLease(containerId, e));
        step(failures, "hosts files", () -> hosts.refresh(userNetworks(r.endpoints())));
        if (!failures.isEmpty())
            throw new HutchException("network cleanup of container " + containerId + " was incomplete: " + String.join("; ", failures));
    }

    @Override
    public void releaseById(String containerId, String containerName) {
        List<String> failures = new ArrayList<>();
        if (containerName != null)
            step(failures, "netns file", () -> NetnsFiles.remove(netnsFiles.pathFor(containerName), syscalls));
        step(failures, "veths", () -> {
            List<String> present = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String v = vethName(containerId, i);
                if (Files.exists(Path.of("/sys/class/net", v))) present.add(v);
            }
            if (present.isEmpty()) return;
            try (RouteNetlink nl = new RouteNetlink(syscalls.get())) {
                for (String v : present) nl.deleteLink(v);
            }
        });
        step(failures, "port rules", () -> {
            if (!nat.leftovers().isEmpty()) nat.unpublish(containerId);
        });
        step(failures, "IPv6 port rules", () -> {
            if (store.list().stream().anyMatch(NetworkConfig::ipv6) && !nat6.leftovers().isEmpty()) nat6.unpublish(containerId);
        });
        List<String> touched = new ArrayList<>();
        for (NetworkConfig n : store.list()) {
            step(failures, "leases on " + n.name(), () -> {
                if (store.leases(n).releaseAllOf(containerId) > 0 && n.userDefined()) touched.add(n.name());
            });
        }
        step(failures, "hosts files", () -> hosts.refresh(touched));
        if (!failures.isEmpty())
            throw new HutchException("network cleanup of container " + containerId + " was incomplete: " + String.join("; ", failures));
    }

    private void releaseLease(String containerId, Endpoint e) {
        store.find(e.network()).ifPresent(n -> store.leases(n).release(e.ip(), containerId));
    }

    private static void step(List<String> failures, String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.add(what + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- connect / disconnect

    /**
     * {@code hutch network connect NETWORK CONTAINER}: a new interface (eth1, eth2...) in the running
     * container, at once. Returns the new record, which the caller stores in the container's state.
     */
    public NetworkRecord connect(String containerId, long initPid, NetworkAttachment attachment, NetworkRecord r) {
        if (!NetworkRecord.BRIDGE.equals(r.mode()))
            throw new HutchException("container " + r.name() + " uses --network " + r.mode() + "; only containers on bridge networks can be connected to more");
        NetworkConfig n = store.require(attachment.network());
        if (r.endpoints().stream().anyMatch(e -> e.network().equals(n.name())))
            throw new HutchException("container " + r.name() + " is already connected to network " + n.name());
        int index = 0;
        while (true) {
            String candidate = "eth" + index;
            if (r.endpoints().stream().noneMatch(e -> e.ifname().equals(candidate))) break;
            index++;
        }
        Endpoint e = lease(containerId, r.name(), r.hostname(), n, attachment, index);
        Syscalls sys = syscalls.get();
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            LinkInfo bridge = bridgeSetup().ensure(nl, n);
            try {
                new VethWiring(sys, new Sysctls(config.procRoot())).attach(nl, bridge, e, n.mtu(), config.procRoot().resolve(initPid + "/ns/net").toString(),
                        initPid, r.endpoints().isEmpty(), e.ip6() != null && r.endpoints().stream().allMatch(x -> x.ip6() == null), false);
            } catch (RuntimeException ex) {
                nl.deleteLink(e.hostVeth());
                throw ex;
            }
        } catch (RuntimeException ex) {
            releaseLease(containerId, e);
            throw ex;
        }
        List<Endpoint> eps = new ArrayList<>(r.endpoints());
        eps.add(e);
        NetworkRecord next = r.withEndpoints(eps);
        hosts.write(containerId, renderHosts(next));
        hosts.refresh(userNetworks(List.of(e)));
        return next;
    }

    /**
     * docker rename: the container answers to its new name on its user networks at once (its
     * leases are what the peers' hosts files are written from), its own hosts file says it, and
     * its netns file is {@code hutch-<new name>} (so {@code ip netns exec} follows the name, and a
     * new container taking the old name gets a file of its own).
     */
    public NetworkRecord rename(String containerId, String newName, NetworkRecord r, boolean running) {
        if (r == null || r.isEmpty()) return r;
        for (Endpoint e : r.endpoints()) store.find(e.network()).ifPresent(n -> store.leases(n).rename(containerId, newName));
        String netns = r.netnsFile();
        if (netns != null) {
            Path file = Path.of(netns);
            // a stopped container has no file: its next start makes it under the name it has then
            netns = running && (Files.exists(file) || Files.isSymbolicLink(file))
                    ? netnsFiles.move(file, newName, syscalls).toString() : netnsFiles.pathFor(newName).toString();
        }
        NetworkRecord next = r.renamed(newName, netns);
        if (running && !r.endpoints().isEmpty()) hosts.write(containerId, renderHosts(next));
        hosts.refresh(userNetworks(r.endpoints()));
        return next;
    }

    /** {@code hutch network disconnect NETWORK CONTAINER}: removes that interface at once. */
    public NetworkRecord disconnect(String containerId, String network, NetworkRecord r) {
        String netName = store.require(network).name();
        Endpoint e = r.endpoints().stream().filter(x -> x.network().equals(netName)).findFirst()
                .orElseThrow(() -> new NotFoundException("container " + r.name() + " is not connected to network " + netName));
        if (!r.ports().isEmpty() && r.endpoints().get(0).equals(e))
            throw new HutchException("container " + r.name() + " publishes ports on network " + netName
                    + "; it cannot be disconnected from it while it runs (remove and re-create it)");
        try (RouteNetlink nl = new RouteNetlink(syscalls.get())) {
            nl.deleteLink(e.hostVeth());
        }
        releaseLease(containerId, e);
        List<Endpoint> eps = new ArrayList<>(r.endpoints());
        eps.remove(e);
        NetworkRecord next = r.withEndpoints(eps);
        hosts.write(containerId, renderHosts(next));
        hosts.refresh(userNetworks(List.of(e)));
        return next;
    }

    // ---------------------------------------------------------------- names

    private String renderHosts(NetworkRecord r) {
        List<HostsFile.Entry> own = new ArrayList<>();
        for (Endpoint e : r.endpoints()) {
            List<String> names = new ArrayList<>(HostsFile.names(r.hostname(), r.name()));
            for (String a : e.aliases()) if (!names.contains(a)) names.add(a);
            own.add(new HostsFile.Entry(e.ip(), names));
            if (e.ip6() != null) own.add(new HostsFile.Entry(e.ip6(), names));
        }
        List<HostsFile.Entry> peers = userNetworks(r.endpoints()).isEmpty() ? List.of()
                : HostsWriter.peersOf(r.containerId(), hosts.userNetworkMembers());
        return HostsFile.render(own, peers, String.join(" ", HostsFile.names(r.hostname(), r.name())));
    }

    private List<String> userNetworks(List<Endpoint> endpoints) {
        List<String> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (!NetworkStore.DEFAULT_NETWORK.equals(e.network())) out.add(e.network());
        }
        return out;
    }

    private static String readOr(Path p, String fallback) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return fallback;
        }
    }
}
