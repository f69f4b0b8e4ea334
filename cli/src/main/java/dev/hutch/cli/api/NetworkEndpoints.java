package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.json.Json;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.NetworkAttachment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /networks}: hutch's bridge networks (the default {@code bridge} and user networks, the
 * same {@link Networks} verbs {@code hutch network} calls) in docker's shapes. What hutch's
 * networks cannot be (another driver, IPv6, internal, labels, driver options but the MTU) is
 * refused with 400, never dropped.
 */
final class NetworkEndpoints {
    static final String MTU_OPTION = "com.docker.network.driver.mtu", BRIDGE_OPTION = "com.docker.network.bridge.name";

    private NetworkEndpoints() {}

    static void register(ApiRouter router) {
        router.add("GET", "/networks", NetworkEndpoints::list)
                .add("POST", "/networks/create", NetworkEndpoints::create)
                .add("GET", "/networks/([^/]+)", NetworkEndpoints::inspect)
                .add("DELETE", "/networks/([^/]+)", NetworkEndpoints::remove)
                .add("POST", "/networks/([^/]+)/connect", NetworkEndpoints::connect)
                .add("POST", "/networks/([^/]+)/disconnect", NetworkEndpoints::disconnect);
    }

    private static Networks networks(ApiCall call) { return new Networks(call.engine().networking()); }

    static void list(ApiCall call) throws IOException {
        Map<String, List<String>> filters = Filters.parse(call.query("filters"), List.of("name", "id", "driver", "type"));
        List<Object> out = new ArrayList<>();
        Networks networks = networks(call);
        for (NetworkConfig n : networks.list()) {
            if (!Filters.matches(filters.get("name"), n.name(), true) || !Filters.matches(filters.get("id"), n.id(), false)
                    || !Filters.matches(filters.get("driver"), "bridge", false)
                    || !Filters.matches(filters.get("type"), n.userDefined() ? "custom" : "builtin", false)) continue;
            out.add(shape(n, networks, false));
        }
        call.response().json(200, out);
    }

    static void inspect(ApiCall call) throws IOException {
        Networks networks = networks(call);
        call.response().json(200, shape(find(networks, call.param(0)), networks, true));
    }

    static void create(ApiCall call) throws IOException {
        Map<String, Object> body = body(call);
        String name = body.get("Name") instanceof String s ? s : "";
        if (name.isBlank()) throw ApiError.badParameter("a network needs a Name");
        Object driver = body.get("Driver");
        if (driver != null && !"".equals(driver) && !"bridge".equals(driver))
            throw ApiError.badParameter("network driver \"" + driver + "\" is not supported: hutch networks are bridges");
        for (String flag : List.of("Internal", "Ingress", "ConfigOnly"))
            if (Boolean.TRUE.equals(body.get(flag))) throw ApiError.badParameter(flag + " is not supported by hutch's networks");
        Map<String, String> labels = new LinkedHashMap<>();
        if (body.get("Labels") instanceof Map<?, ?> l) l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        int mtu = 0;
        if (body.get("Options") instanceof Map<?, ?> options) {
            for (Map.Entry<?, ?> o : options.entrySet()) {
                if (!MTU_OPTION.equals(o.getKey()))
                    throw ApiError.badParameter("network option \"" + o.getKey() + "\" is not supported (only " + MTU_OPTION + ")");
                try {
                    mtu = Integer.parseInt(String.valueOf(o.getValue()));
                } catch (NumberFormatException e) {
                    throw ApiError.badParameter(MTU_OPTION + ": \"" + o.getValue() + "\" is not a number");
                }
            }
        }
        // IPAM.Config: one entry per family at most (docker's dual stack), each sorted by its form
        List<String> subnets = new java.util.ArrayList<>(), gateways = new java.util.ArrayList<>();
        if (body.get("IPAM") instanceof Map<?, ?> ipam && ipam.get("Config") instanceof List<?> configs && !configs.isEmpty()) {
            if (configs.size() > 2) throw ApiError.badParameter("hutch's networks have one subnet per family; " + configs.size() + " were given");
            for (Object entry : configs) {
                if (!(entry instanceof Map<?, ?> c)) continue;
                if (c.get("Subnet") instanceof String s && !s.isEmpty()) subnets.add(s);
                if (c.get("Gateway") instanceof String g && !g.isEmpty()) gateways.add(g);
                if (c.get("IPRange") instanceof String r && !r.isEmpty()) throw ApiError.badParameter("IPRange is not supported by hutch's networks");
            }
        }
        boolean ipv6 = Boolean.TRUE.equals(body.get("EnableIPv6"));
        Networks networks = networks(call);
        for (NetworkConfig n : networks.list())
            if (n.name().equals(name)) throw ApiError.conflict("network with name " + name + " already exists");
        NetworkConfig made = networks.create(name, subnets, gateways, mtu, ipv6, labels);
        call.engine().networkEvent("create", made.id(), made.name());
        call.response().json(201, Map.of("Id", made.id(), "Warning", ""));
    }

    static void remove(ApiCall call) throws IOException {
        Networks networks = networks(call);
        NetworkConfig n = find(networks, call.param(0));
        if (!n.userDefined()) throw new ApiError(403, n.name() + " is a pre-defined network and cannot be removed");
        List<String> users = networks.users(n);
        if (!users.isEmpty())
            throw new ApiError(403, "error while removing network: network " + n.name() + " id " + n.id() + " has active endpoints ("
                    + String.join(", ", users) + ")");
        networks.remove(n.name());
        call.engine().networkEvent("destroy", n.id(), n.name());
        call.response().empty(204);
    }

    static void connect(ApiCall call) throws IOException {
        NetworkConfig n = find(networks(call), call.param(0));
        Map<String, Object> body = body(call);
        ContainerEndpoints.Found c = container(call, body);
        List<String> aliases = List.of();
        String ip = null, ip6 = null;
        if (body.get("EndpointConfig") instanceof Map<?, ?> ep) {
            if (ep.get("Aliases") instanceof List<?> a) aliases = a.stream().map(String::valueOf).toList();
            if (ep.get("IPAMConfig") instanceof Map<?, ?> ipam && ipam.get("IPv4Address") instanceof String s && !s.isEmpty()) ip = s;
            if (ep.get("IPAMConfig") instanceof Map<?, ?> ipam && ipam.get("IPv6Address") instanceof String s && !s.isEmpty()) ip6 = s;
        }
        if (connectedTo(c, n.name()))
            throw new ApiError(403, "endpoint with name " + c.view().name() + " already exists in network " + n.name()); // dockerd's words and code
        call.engine().connect(c.id(), new NetworkAttachment(n.name(), aliases, ip, null, ip6));
        call.response().empty(200);
    }

    static void disconnect(ApiCall call) throws IOException {
        NetworkConfig n = find(networks(call), call.param(0));
        ContainerEndpoints.Found c = container(call, body(call));
        if (!connectedTo(c, n.name()))
            throw ApiError.conflict("container " + c.id() + " is not connected to network " + n.name());
        call.engine().disconnect(c.id(), n.name());
        call.response().empty(200);
    }

    /** A running container's endpoints, or those a created or stopped one records for its next start. */
    private static boolean connectedTo(ContainerEndpoints.Found c, String network) {
        if (c.running())
            return c.view().network() != null && c.view().network().endpoints().stream().anyMatch(e -> e.network().equals(network));
        return ContainerShapes.recordedNetworks(c.view().spec()).stream().anyMatch(a -> a.network().equals(network));
    }

    private static ContainerEndpoints.Found container(ApiCall call, Map<String, Object> body) {
        if (!(body.get("Container") instanceof String ref) || ref.isEmpty()) throw ApiError.badParameter("name a Container");
        return ContainerEndpoints.find(call, ref);
    }

    /** By name, full id or unique id prefix, as dockerd resolves. */
    static NetworkConfig find(Networks networks, String ref) {
        List<NetworkConfig> all = networks.list();
        for (NetworkConfig n : all) if (n.name().equals(ref) || n.id().equals(ref)) return n;
        List<NetworkConfig> byPrefix = all.stream().filter(n -> n.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) return byPrefix.get(0);
        throw new ApiError(404, "network " + ref + " not found");
    }

    private static Map<String, Object> shape(NetworkConfig n, Networks networks, boolean withContainers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created() == null ? ContainerShapes.ZERO_TIME : n.created());
        m.put("Scope", "local");
        m.put("Driver", "bridge");
        m.put("EnableIPv6", n.ipv6());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Subnet", n.subnet());
        config.put("Gateway", n.gateway());
        List<Object> configs = new java.util.ArrayList<>(List.of(config));
        if (n.ipv6()) configs.add(Map.of("Subnet", n.subnet6(), "Gateway", n.gateway6()));
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", configs));
        m.put("Internal", false);
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        if (withContainers) {
            Object leases = networks.inspect(n.name()).get("containers");
            int prefix = n.cidr().prefixLength();
            if (leases instanceof List<?> list) for (Object o : list) {
                if (!(o instanceof Map<?, ?> l) || !(l.get("container") instanceof String id)) continue;
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Name", String.valueOf(l.get("name")));
                c.put("EndpointID", "");
                c.put("MacAddress", "");
                c.put("IPv4Address", l.get("ip") + "/" + prefix);
                c.put("IPv6Address", l.get("ip6") == null ? "" : l.get("ip6") + "/" + n.cidr6().prefixLength());
                containers.put(id, c);
            }
        }
        m.put("Containers", containers);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(BRIDGE_OPTION, n.bridge());
        options.put(MTU_OPTION, Integer.toString(n.mtu()));
        m.put("Options", options);
        m.put("Labels", n.labels());
        return m;
    }

    static Map<String, Object> body(ApiCall call) {
        String text = call.request().bodyText();
        if (text.isBlank()) return Map.of();
        try {
            return Json.parseObject(text);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("the request body is not a JSON object: " + e.getMessage());
        }
    }
}
