package dev.hutch.net;

import java.util.List;
import java.util.Map;

/** {@link NetworkPlan} as {@link HostNetworking#prepare} makes it: data only. */
record PlannedNetwork(boolean newNetworkNamespace, List<String> joinNamespaces, boolean needsWiring, String hostsFile,
                      String resolvConf, NetworkRecord networkRecord, boolean loopbackUp) implements NetworkPlan {

    PlannedNetwork {
        joinNamespaces = List.copyOf(joinNamespaces);
    }

    @Override
    public Map<String, Object> record() { return networkRecord.toMap(); }
}
