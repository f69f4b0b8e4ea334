package dev.hutch.dsl.network;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.dsl.Sandbox;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;

import java.util.Optional;

/**
 * A user network in a script. Containers on it reach each other by name. A network the script
 * created is removed when the script ends (after its containers), unless it calls {@code keep()};
 * one that existed before is used and left alone.
 */
public final class NetworkHandle {
    private final Sandbox sandbox;
    private final NetworkConfig config;
    private final boolean created;
    private volatile boolean kept;

    private NetworkHandle(Sandbox sandbox, NetworkConfig config, boolean created) {
        this.sandbox = sandbox;
        this.config = config;
        this.created = created;
    }

    /** The network of that name: created with the builder's settings, or the existing one if they agree. */
    public static NetworkHandle create(Sandbox sandbox, String name, NetworkBuilder b) {
        Networks networks = networks(sandbox);
        Optional<NetworkConfig> existing = networks(sandbox).list().stream().filter(n -> n.name().equals(name)).findFirst();
        if (existing.isPresent()) {
            NetworkConfig n = existing.get();
            if (b.subnet4() != null && !b.subnet4().equals(n.subnet()))
                throw new HutchException("network " + name + " exists with subnet " + n.subnet() + ", not " + b.subnet4()
                        + " (remove it with `hutch network rm " + name + "` or use another name)");
            return new NetworkHandle(sandbox, n, false);
        }
        NetworkHandle h = new NetworkHandle(sandbox, networks.create(name, b.subnets, b.gateways, b.mtu, b.ipv6), true);
        sandbox.created(h);
        return h;
    }

    private static Networks networks(Sandbox sandbox) {
        return new Networks(sandbox.engine().networking());
    }

    public String getName() { return config.name(); }

    public String getSubnet() { return config.subnet(); }

    public String getGateway() { return config.gateway(); }

    /** The IPv6 subnet of a dual-stack network, or null. */
    public String getSubnet6() { return config.subnet6(); }

    public String getGateway6() { return config.gateway6(); }

    /** Whether this script made it (and so removes it at the end). */
    public boolean isCreated() { return created; }

    public boolean isKept() { return kept || !created; }

    /** Leaves the network in place when the script ends. */
    public NetworkHandle keep() {
        kept = true;
        return this;
    }

    /** Removes it now; it must have no containers left. */
    public void rm() {
        networks(sandbox).remove(getName());
        sandbox.forget(this);
    }

    public void removeQuietly() {
        try {
            networks(sandbox).remove(getName());
        } catch (NotFoundException gone) {
            // removed already
        }
    }

    @Override
    public String toString() { return getName(); }
}
