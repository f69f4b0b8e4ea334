package dev.hutch.net;

import dev.hutch.spec.ContainerSpec;


/**
 * The network side of a container's life. The engine calls, in this order:
 * <ol>
 *   <li>{@link #check} before anything of the container exists, not even its name: refuses what
 *       the host would refuse (a network that does not exist, a container to join that is not
 *       running, an {@code --ip} or host port in use). Changes nothing.</li>
 *   <li>{@link #prepare} once the record exists: only reserves (addresses) and says which
 *       namespaces to create or join. Nothing in the kernel changes yet.
 *       The plan's {@link NetworkPlan#record()} is saved in the container's state at once, so a
 *       crash after this point can still be cleaned up by {@link #release}.</li>
 *   <li>{@link #attach} after the helper reported init's pid and before it lets init go on: veth,
 *       bridge, addresses, routes, NAT rules, the netns file. Returns the record to store.</li>
 *   <li>{@link #release} on {@code rm}, on a failed run, and when a {@code --rm} container ends:
 *       undoes everything, idempotently, from the record alone.</li>
 * </ol>
 * {@code --network none} and {@code host} must not load JNA or netlink classes (start-up budget).
 */
public interface ContainerNetworking {

    /** Refuses, with a clear error, a spec this host cannot wire; changes nothing. */
    void check(ContainerSpec spec);

    /** Reserves what {@link #check} found free; a race lost since is still an error. */
    NetworkPlan prepare(String containerId, String containerName, String hostname, ContainerSpec spec);

    NetworkRecord attach(NetworkPlan plan, long initPid);

    void release(String containerId, NetworkRecord record);

    /**
     * Undoes what the container's id (and name, if known) alone implies, for a run that was killed
     * before it could record its network, or a record too damaged to read: its address leases on
     * every network, its NAT rules, its veths, its netns file. Idempotent; quiet if nothing is
     * there. Called by {@code rm} only on that path, after {@link #release} of what was recorded.
     */
    default void releaseById(String containerId, String containerName) {}

    /**
     * Loads what {@link #attach} will need (JNA's native stub, netlink classes) so that the cost,
     * tens of milliseconds in a fresh JVM, overlaps the rest of the start instead of adding to it.
     * The engine calls it on a background thread; it must change nothing on the host.
     */
    default void warmUp() {}
}
