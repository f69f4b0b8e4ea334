package dev.hutch.net;

import dev.hutch.HutchException;
import dev.hutch.util.FileLock;
import dev.hutch.net.ipam.Ipv6Cidr;
import dev.hutch.net.ipam.Lease;
import dev.hutch.net.ipam.LeaseStore;
import dev.hutch.net.netlink.LinkInfo;
import dev.hutch.net.netlink.RouteNetlink;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.net.store.NetworkStore;
import dev.hutch.spec.InvalidSpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine side of {@code hutch network create|ls|inspect|rm}. ({@code connect} and
 * {@code disconnect} change a running container, so they live on {@link HostNetworking}, whose
 * results the engine stores in the container's state.)
 */
public final class Networks {
    private final HostNetworking networking;
    private final NetworkStore store;

    public Networks(HostNetworking networking) {
        this.networking = networking;
        this.store = networking.store();
    }

    /**
     * {@code hutch network create [--subnet CIDR] [--gateway IP] [--mtu N] NAME}. The bridge itself
     * is made when the first container joins.
     *
     * @param subnet null picks a free /24 from 10.200.0.0 up; gateway null is the first address
     */
    public NetworkConfig create(String name, String subnet, String gateway, int mtu) {
        return store.create(name, subnet, gateway, mtu);
    }

    /**
     * {@code hutch network create [--ipv6] [--subnet CIDR]... [--gateway IP]... NAME}: as docker,
     * {@code --subnet} and {@code --gateway} may be given once per family; each is sorted to its
     * family by its form. Without an IPv4 subnet, a free /24 is picked as for IPv4-only networks.
     */
    public NetworkConfig create(String name, List<String> subnets, List<String> gateways, int mtu, boolean ipv6) {
        return create(name, subnets, gateways, mtu, ipv6, Map.of());
    }

    /** As above, with labels (docker network create --label; Testcontainers marks its networks with them). */
    public NetworkConfig create(String name, List<String> subnets, List<String> gateways, int mtu, boolean ipv6,
                                Map<String, String> labels) {
        String subnet = onePerFamily("--subnet", subnets, false), subnet6 = onePerFamily("--subnet", subnets, true);
        String gateway = onePerFamily("--gateway", gateways, false), gateway6 = onePerFamily("--gateway", gateways, true);
        return store.create(name, subnet, gateway, mtu, ipv6, subnet6, gateway6, labels);
    }

    private static String onePerFamily(String flag, List<String> values, boolean v6) {
        List<String> mine = values.stream().filter(v -> Ipv6Cidr.looksLikeIpv6(v) == v6).toList();
        if (mine.size() > 1)
            throw new InvalidSpecException(flag, String.join(",", mine), "is given twice for " + (v6 ? "IPv6" : "IPv4")
                    + "; a network has one " + (v6 ? "IPv6" : "IPv4") + " " + flag.substring(2));
        return mine.isEmpty() ? null : mine.get(0);
    }

    /** The default network first, then user networks by name. */
    public List<NetworkConfig> list() { return store.list(); }

    /** {@code hutch network inspect NAME}: the config, the bridge's state and the containers on it, as JSON values. */
    public Map<String, Object> inspect(String name) {
        NetworkConfig n = store.require(name);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) n.toJson());
        List<Object> containers = new ArrayList<>();
        for (Lease l : store.leases(n).liveLeases()) containers.add(l.toJson());
        m.put("containers", containers);
        return m;
    }

    /** Names of the containers using a network (stale leases of crashed runs are dropped first). */
    public List<String> users(NetworkConfig n) {
        LeaseStore leases = store.leases(n);
        leases.reclaimStale();
        return leases.liveLeases().stream().map(Lease::name).toList();
    }

    /** {@code hutch network rm NAME}: refused while containers use it; removes bridge, rules and files. */
    public void remove(String name) {
        NetworkConfig n = store.require(name);
        if (!n.userDefined()) {
            // docker refuses; hutch takes the default bridge's link and rules off the host when no
            // container uses it (the next bridged run makes them again), so nothing need stay behind.
            if (!removeDefaultBridge())
                throw new HutchException("network " + name + " is in use by container(s) " + String.join(", ", users(n))
                        + "; remove them first");
            return;
        }
        FileLock.run(store.lockFile(), () -> {
            List<String> users = users(n);
            if (!users.isEmpty())
                throw new HutchException("network " + name + " is in use by container(s) " + String.join(", ", users)
                        + "; remove them or `hutch network disconnect " + name + " CONTAINER` first");
            removeBridge(n);
            store.delete(n);
        });
    }

    /**
     * Removes the default bridge ({@code hutch0}) and its rules if no container uses it, and hutch's
     * chains if nothing else is in them. For test suites and {@code hutch system prune}; the next
     * container recreates it.
     *
     * @return false if containers still use it
     */
    public boolean removeDefaultBridge() {
        NetworkConfig n = store.defaultNetwork();
        return FileLock.with(store.lockFile(), () -> {
            if (!users(n).isEmpty()) return false;
            removeBridge(n);
            return true;
        });
    }

    /** The bridge's link, if it exists now. */
    public Optional<LinkInfo> bridgeLink(NetworkConfig n) {
        try (RouteNetlink nl = new RouteNetlink(networking.syscalls().get())) {
            return nl.link(n.bridge());
        }
    }

    private void removeBridge(NetworkConfig n) {
        try (RouteNetlink nl = new RouteNetlink(networking.syscalls().get())) {
            networking.bridgeSetup().remove(nl, n);
        }
        networking.nat().removeChainsIfUnused();
    }
}
