package dev.hutch.net;

import java.util.List;

/** {@link NetworkPlan} as {@link HostNetworking#prepare} makes it: data only. */
record PlannedNetwork(boolean newNetworkNamespace, List<String> joinNamespaces, boolean needsWiring, String hostsFile,
                      String resolvConf, NetworkRecord networkRecord, boolean loopbackUp) implements NetworkPlan {

    PlannedNetwork {
        joinNamespaces = List.copyOf(joinNamespaces);
    }

    @Override
    public NetworkRecord record() { return networkRecord; }
}
