package dev.hutch.net;

import java.util.List;

/** What {@link ContainerNetworking#prepare} decided for one container. */
public interface NetworkPlan {

    /** False for --network host: the container keeps the host's network namespace. */
    boolean newNetworkNamespace();

    /** Namespaces to join instead of create, as helper {@code join_ns} values, e.g. "net /proc/42/ns/net". */
    List<String> joinNamespaces();

    /** True if {@link ContainerNetworking#attach} has work to do after the clone. */
    boolean needsWiring();

    /** Content of the container's /etc/hosts. */
    String hostsFile();

    /** Content of the container's /etc/resolv.conf. */
    String resolvConf();

    /** State to persist before attach (leases), enough for release to undo it. */
    NetworkRecord record();

    /**
     * True when the helper should bring {@code lo} up inside the new network namespace itself
     * (launch-file key {@code loopback_up 1}): {@code --network none}, whose start never loads JNA.
     * For bridge networks {@link ContainerNetworking#attach} brings {@code lo} up anyway.
     */
    default boolean loopbackUp() { return false; }
}
