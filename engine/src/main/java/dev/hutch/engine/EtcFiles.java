package dev.hutch.engine;

import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkPlan;
import dev.hutch.net.names.HostsFile;
import dev.hutch.net.names.ResolvConf;
import dev.hutch.spec.NameResolution;

import java.util.ArrayList;
import java.util.List;

/**
 * The container's /etc/hosts and /etc/resolv.conf: what its networks give, with docker's
 * {@code --add-host}, {@code --dns}, {@code --dns-search} and {@code --dns-option} applied. Pure.
 */
final class EtcFiles {
    private EtcFiles() {}

    static String hosts(NetworkPlan plan, NameResolution names) {
        String base = plan.hostsFile() == null ? "" : plan.hostsFile();
        if (names.extraHosts().isEmpty()) return base;
        List<HostsFile.Entry> extra = new ArrayList<>();
        for (NameResolution.ExtraHost h : names.parsedExtraHosts()) {
            String ip = h.ip();
            if (ip.equals(NameResolution.HOST_GATEWAY)) {
                List<Endpoint> eps = plan.record().endpoints();
                ip = eps.isEmpty() ? null : eps.get(0).gateway(); // validation allowed it only with an interface
            }
            if (ip != null) extra.add(new HostsFile.Entry(ip, List.of(h.name())));
        }
        return HostsFile.withExtraHosts(base, extra);
    }

    static String resolvConf(NetworkPlan plan, NameResolution names) {
        return ResolvConf.withOverrides(plan.resolvConf(), names.dns(), names.dnsSearch(), names.dnsOptions());
    }
}
