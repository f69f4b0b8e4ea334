package dev.hutch.net.store;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;
import dev.hutch.net.ipam.Cidr;
import dev.hutch.net.ipam.Ipv4;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One bridge network: the default one ({@code bridge}, device {@code hutch0}) or a user network made
 * by {@code hutch network create}. Stored as {@code <libRoot>/networks/<name>/network.json}; the
 * default one is not stored, it comes from {@link dev.hutch.config.EngineConfig} every time.
 *
 * @param userDefined user networks get name resolution between their members; the default does not (as with docker)
 * @param labels      docker network create --label (Testcontainers marks its networks with them)
 */
public record NetworkConfig(String name, String id, String subnet, String gateway, String bridge, int mtu,
                            boolean userDefined, String created, Map<String, String> labels) implements JsonWritable {

    public static final int DEFAULT_MTU = 1500;

    public NetworkConfig {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** A network without labels. */
    public NetworkConfig(String name, String id, String subnet, String gateway, String bridge, int mtu, boolean userDefined, String created) {
        this(name, id, subnet, gateway, bridge, mtu, userDefined, created, Map.of());
    }

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
        if (!labels.isEmpty()) m.put("labels", labels);
        return m;
    }

    public static NetworkConfig fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new NetworkConfig(r.string("name"), r.string("id"), r.string("subnet"), r.string("gateway"),
                r.string("bridge"), (int) r.number("mtu", DEFAULT_MTU), r.bool("userDefined", true), r.string("created"), labels(json));
    }

    private static Map<String, String> labels(Object json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json instanceof Map<?, ?> m && m.get("labels") instanceof Map<?, ?> l) l.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
