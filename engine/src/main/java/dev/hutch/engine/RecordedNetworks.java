package dev.hutch.engine;

import dev.hutch.HutchException;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.NetworkAttachment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * docker network connect and disconnect of a container that does not run (created or stopped):
 * nothing on the host changes; the endpoint is recorded in the container's spec and its next
 * start wires it (aliases, requested addresses), as dockerd records it in the container's
 * settings. Pure: the spec in, the spec out; {@code canonical} turns a network reference into the
 * network's name (or throws for an unknown one).
 */
final class RecordedNetworks {
    private RecordedNetworks() {}

    /** The spec with {@code attachment} added; an empty list meant the default bridge, which stays. */
    static ContainerSpec connect(ContainerSpec spec, String containerName, NetworkAttachment attachment, UnaryOperator<String> canonical) {
        NetworkAttachment primary = spec.primaryNetwork();
        if (!primary.needsInterface())
            throw new HutchException("container " + containerName + " uses --network " + primary.network()
                    + "; only containers on bridge networks can be connected to more");
        String wanted = canonical.apply(attachment.network());
        List<NetworkAttachment> all = new ArrayList<>(spec.networks().isEmpty() ? List.of(primary) : spec.networks());
        for (NetworkAttachment a : all)
            if (canonical.apply(a.network()).equals(wanted))
                throw new HutchException("endpoint with name " + containerName + " already exists in network " + wanted);
        all.add(new NetworkAttachment(wanted, attachment.aliases(), attachment.ipv4(), attachment.macAddress(), attachment.ipv6()));
        return spec.withNetworks(all);
    }

    /**
     * The spec without its endpoint on {@code network}. The last one gone leaves the container
     * with its loopback only ({@code none}): an empty list would mean the default bridge again.
     */
    static ContainerSpec disconnect(ContainerSpec spec, String containerName, String network, UnaryOperator<String> canonical) {
        String wanted = canonical.apply(network);
        List<NetworkAttachment> all = new ArrayList<>(spec.networks().isEmpty() ? List.of(spec.primaryNetwork()) : spec.networks());
        int at = -1;
        for (int i = 0; i < all.size() && at < 0; i++)
            if (all.get(i).needsInterface() && canonical.apply(all.get(i).network()).equals(wanted)) at = i;
        if (at < 0) throw new HutchException("container " + containerName + " is not connected to network " + wanted);
        if (at == 0 && !spec.ports().isEmpty())
            // as for a running container: its ports are published on its first network
            throw new HutchException("container " + containerName + " publishes ports on network " + wanted
                    + "; it cannot be disconnected from it (remove and re-create it)");
        all.remove(at);
        if (all.isEmpty()) all.add(NetworkAttachment.of(NetworkAttachment.NONE));
        return spec.withNetworks(all);
    }
}
