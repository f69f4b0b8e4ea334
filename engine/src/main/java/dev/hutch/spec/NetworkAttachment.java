package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code --network} value: {@code none}, {@code host}, {@code bridge} (the default network
 * {@code hutch0}), {@code container:NAME}, or a user network's name, with optional
 * {@code --network-alias} names, a requested {@code --ip}, {@code --ip6} and {@code --mac-address}.
 */
public record NetworkAttachment(String network, List<String> aliases, String ipv4, String macAddress, String ipv6)
        implements JsonWritable {
    public static final String NONE = "none", HOST = "host", BRIDGE = "bridge", CONTAINER_PREFIX = "container:";

    public NetworkAttachment {
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        macAddress = macAddress == null || macAddress.isEmpty() ? null : macAddress.toLowerCase(java.util.Locale.ROOT);
        ipv6 = ipv6 == null || ipv6.isEmpty() ? null : ipv6;
    }

    public NetworkAttachment(String network, List<String> aliases, String ipv4, String macAddress) {
        this(network, aliases, ipv4, macAddress, null);
    }

    /** Without {@code --mac-address}: hutch derives the MAC from the address (02:48:IP). */
    public NetworkAttachment(String network, List<String> aliases, String ipv4) { this(network, aliases, ipv4, null); }

    public NetworkAttachment withMacAddress(String mac) { return new NetworkAttachment(network, aliases, ipv4, mac, ipv6); }

    /** With a requested {@code --ip6} (docker's {@code IPAMConfig.IPv6Address}). */
    public NetworkAttachment withIpv6(String ip6) { return new NetworkAttachment(network, aliases, ipv4, macAddress, ip6); }

    public static NetworkAttachment of(String network) { return new NetworkAttachment(network, List.of(), null); }

    public boolean isNone() { return NONE.equals(network); }
    public boolean isHost() { return HOST.equals(network); }
    public boolean isContainer() { return network.startsWith(CONTAINER_PREFIX); }
    public String containerRef() { return network.substring(CONTAINER_PREFIX.length()); }
    /** Bridge and user networks get a veth pair and an address; the other modes do not. */
    public boolean needsInterface() { return !isNone() && !isHost() && !isContainer(); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", network);
        if (!aliases.isEmpty()) m.put("aliases", aliases);
        if (ipv4 != null) m.put("ipv4", ipv4);
        if (macAddress != null) m.put("macAddress", macAddress);
        if (ipv6 != null) m.put("ipv6", ipv6);
        return m;
    }

    public static NetworkAttachment fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new NetworkAttachment(r.string("network"), r.strings("aliases"), r.string("ipv4"), r.string("macAddress"),
                r.string("ipv6"));
    }
}
