package dev.hutch.spec;

import java.util.regex.Pattern;

/** docker's checks of --dns, --dns-search, --dns-option and --add-host, and of the stop settings. */
final class NameResolutionValidator {
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,255}$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,62})(\\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,62}))*\\.?");
    private static final Pattern HOST = Pattern.compile("[a-zA-Z0-9_]([a-zA-Z0-9_.-]{0,252})");

    private NameResolutionValidator() {}

    static boolean isIp(String s) {
        return s != null && (IPV4.matcher(s).matches() || (IPV6.matcher(s).matches() && s.length() >= 2));
    }

    static void validate(ContainerSpec spec) {
        NameResolution n = spec.names();
        for (String d : n.dns())
            if (!isIp(d)) throw new InvalidSpecException("--dns", d, "is not an IP address (try 10.0.0.2)");
        for (String d : n.dnsSearch())
            if (!d.equals(".") && !DOMAIN.matcher(d).matches())
                throw new InvalidSpecException("--dns-search", d, "is not a valid domain (try example.com, or . for none)");
        for (String o : n.dnsOptions())
            if (o.isBlank() || o.chars().anyMatch(c -> c <= ' '))
                throw new InvalidSpecException("--dns-option", o, "is not one resolv.conf option (try ndots:2)");
        for (NameResolution.ExtraHost h : n.parsedExtraHosts()) {
            String text = h.name() + ":" + h.ip();
            if (!HOST.matcher(h.name()).matches())
                throw new InvalidSpecException("--add-host", text, "has an invalid host name (letters, digits, '-', '.', '_')");
            if (!h.ip().equals(NameResolution.HOST_GATEWAY) && !isIp(h.ip()))
                throw new InvalidSpecException("--add-host", text, "has \"" + h.ip() + "\", which is not an IP address or host-gateway");
        }
        NetworkAttachment net = spec.primaryNetwork();
        if (net.isContainer()) {
            // the joined container's resolv.conf and hosts are not this one's to change (docker refuses too)
            if (!n.dns().isEmpty() || !n.dnsSearch().isEmpty() || !n.dnsOptions().isEmpty())
                throw new InvalidSpecException("--dns", String.join(",", n.dns()), "conflicts with --network " + net.network()
                        + ": a container that joins another's network uses its name resolution");
            if (!n.extraHosts().isEmpty())
                throw new InvalidSpecException("--add-host", String.join(",", n.extraHosts()), "conflicts with --network " + net.network()
                        + ": a container that joins another's network uses its /etc/hosts");
        }
        if (n.parsedExtraHosts().stream().anyMatch(h -> h.ip().equals(NameResolution.HOST_GATEWAY)) && !net.needsInterface())
            throw new InvalidSpecException("--add-host", String.join(",", n.extraHosts()),
                    "uses host-gateway, which needs a bridge or user network (there is no gateway with --network " + net.network() + ")");

        StopPolicy stop = spec.stop();
        if (stop.timeoutSeconds() != null && stop.timeoutSeconds() < -1)
            throw new InvalidSpecException("--stop-timeout", stop.timeoutSeconds(), "must be seconds, 0 or more (-1 waits for ever)");
    }
}
