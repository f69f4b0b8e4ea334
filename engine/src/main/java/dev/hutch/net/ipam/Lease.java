package dev.hutch.net.ipam;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One address handed to one container on one network. The lease file also carries the names the
 * address answers to, so the hosts files of the network's members can be written from the leases
 * alone. On a dual-stack network the lease also holds the IPv6 twin of its address ({@code ip6}).
 */
public record Lease(String ip, String containerId, String name, String hostname, List<String> aliases, String ip6)
        implements JsonWritable {

    public Lease {
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
    }

    public Lease(String ip, String containerId, String name, String hostname, List<String> aliases) {
        this(ip, containerId, name, hostname, aliases, null);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ip", ip);
        m.put("container", containerId);
        m.put("name", name);
        m.put("hostname", hostname);
        m.put("aliases", aliases);
        if (ip6 != null) m.put("ip6", ip6);
        return m;
    }

    public static Lease fromJson(String text) {
        JsonReader r = JsonReader.of(Json.parseObject(text));
        return new Lease(r.string("ip"), r.string("container"), r.string("name"), r.string("hostname"),
                r.strings("aliases"), r.string("ip6"));
    }
}
