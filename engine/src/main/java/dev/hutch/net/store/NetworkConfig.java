package dev.hutch.net.store;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;
import dev.hutch.net.ipam.Cidr;
import dev.hutch.net.ipam.Ipv4;
import dev.hutch.net.ipam.Ipv6;
import dev.hutch.net.ipam.Ipv6Cidr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One bridge network: the default one ({@code bridge}, device {@code hutch0}) or a user network made
 * by {@code hutch network create}. Stored as {@code <libRoot>/networks/<name>/network.json}; the
 * default one is not stored, it comes from {@link dev.hutch.config.EngineConfig} every time.
 *
 * @param userDefined user networks get name resolution between their members; the default does not (as with docker)
 * @param subnet6     the IPv6 subnet of a dual-stack network ({@code --ipv6}), or null for IPv4 only
 * @param gateway6    the bridge's IPv6 address in {@code subnet6}, or null
 * @param labels      docker network create --label (Testcontainers marks its networks with them)
 */
public record NetworkConfig(String name, String id, String subnet, String gateway, String bridge, int mtu,
                            boolean userDefined, String created, String subnet6, String gateway6,
                            Map<String, String> labels) implements JsonWritable {

    public static final int DEFAULT_MTU = 1500;

    public NetworkConfig {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** An IPv4-only network without labels. */
    public NetworkConfig(String name, String id, String subnet, String gateway, String bridge, int mtu, boolean userDefined,
                         String created) {
        this(name, id, subnet, gateway, bridge, mtu, userDefined, created, null, null, Map.of());
    }

    /** An IPv4-only network. */
    public NetworkConfig(String name, String id, String subnet, String gateway, String bridge, int mtu, boolean userDefined,
                         String created, Map<String, String> labels) {
        this(name, id, subnet, gateway, bridge, mtu, userDefined, created, null, null, labels);
    }

    /** A network without labels. */
    public NetworkConfig(String name, String id, String subnet, String gateway, String bridge, int mtu, boolean userDefined,
                         String created, String subnet6, String gateway6) {
        this(name, id, subnet, gateway, bridge, mtu, userDefined, created, subnet6, gateway6, Map.of());
    }

    /** True for a dual-stack network (docker's EnableIPv6). */
    public boolean ipv6() { return subnet6 != null; }

    public Ipv6Cidr cidr6() { return subnet6 == null ? null : Ipv6Cidr.parse("subnet", subnet6); }

    public long[] gateway6Address() { return gateway6 == null ? null : Ipv6.parse(gateway6); }

    public Cidr cidr() { return Cidr.parse("subnet", subnet); }

    public int gatewayAddress() { return Ipv4.parse(gateway); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", id);
        m.put("driver", "bridge");
        m.put("subnet", subnet);
        m.put("gateway", gateway);
        m.put("bridge", bridge);
        m.put("mtu", mtu);
        m.put("userDefined", userDefined);
        m.put("created", created);
        m.put("enableIPv6", ipv6());
        if (subnet6 != null) {
            m.put("subnet6", subnet6);
            m.put("gateway6", gateway6);
        }
        if (!labels.isEmpty()) m.put("labels", labels);
        return m;
    }

    public static NetworkConfig fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new NetworkConfig(r.string("name"), r.string("id"), r.string("subnet"), r.string("gateway"),
                r.string("bridge"), (int) r.number("mtu", DEFAULT_MTU), r.bool("userDefined", true), r.string("created"),
                r.string("subnet6"), r.string("gateway6"), labels(json));
    }

    private static Map<String, String> labels(Object json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json instanceof Map<?, ?> m && m.get("labels") instanceof Map<?, ?> l) l.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
