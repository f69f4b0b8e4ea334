package dev.hutch.net;

import dev.hutch.json.JsonReader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's interface on one bridge network: the address it leased, the veth pair's names
 * (host side {@code hv...}, container side {@code eth0}, {@code eth1}...) and the bridge. All of
 * it is decided in prepare, so release can undo a half-done attach from the record alone.
 * On a dual-stack network {@code ip6}, {@code prefixLength6} and {@code gateway6} are its IPv6
 * side (null and 0 otherwise).
 */
public record Endpoint(String network, String ip, int prefixLength, String gateway, String bridge, String hostVeth,
                       String ifname, String mac, List<String> aliases, String ip6, int prefixLength6, String gateway6) {

    public Endpoint {
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
    }

    /** An IPv4-only endpoint. */
    public Endpoint(String network, String ip, int prefixLength, String gateway, String bridge, String hostVeth,
                    String ifname, String mac, List<String> aliases) {
        this(network, ip, prefixLength, gateway, bridge, hostVeth, ifname, mac, aliases, null, 0, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", network);
        m.put("ip", ip);
        m.put("prefixLength", prefixLength);
        m.put("gateway", gateway);
        m.put("bridge", bridge);
        m.put("hostVeth", hostVeth);
        m.put("ifname", ifname);
        m.put("mac", mac);
        m.put("aliases", aliases);
        if (ip6 != null) {
            m.put("ip6", ip6);
            m.put("prefixLength6", prefixLength6);
            m.put("gateway6", gateway6);
        }
        return m;
    }

    public static Endpoint fromMap(Object o) {
        JsonReader r = JsonReader.of(o);
        return new Endpoint(r.string("network"), r.string("ip"), (int) r.number("prefixLength", 0), r.string("gateway"),
                r.string("bridge"), r.string("hostVeth"), r.string("ifname"), r.string("mac"), r.strings("aliases"),
                r.string("ip6"), (int) r.number("prefixLength6", 0), r.string("gateway6"));
    }
}
