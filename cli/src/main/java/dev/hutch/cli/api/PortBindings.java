package dev.hutch.cli.api;

import dev.hutch.spec.PortMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's port publishing in its API shapes and hutch's {@link PortMapping}s: HostConfig
 * {@code PortBindings} ({@code {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}}, an empty host
 * port meaning "pick a free one", as hutch's port 0), {@code PublishAllPorts} over the exposed
 * ports of the request and the image, and the answers: {@code NetworkSettings.Ports} in inspect
 * (what {@code docker port} prints) and {@code Ports} in the list.
 */
final class PortBindings {
    private PortBindings() {}

    /** HostConfig.PortBindings to mappings; a bad port or a host port range is refused (400) with the value. */
    static List<PortMapping> parse(Object bindings) {
        List<PortMapping> out = new ArrayList<>();
        if (bindings == null) return out;
        if (!(bindings instanceof Map<?, ?> map)) throw ApiError.badParameter("HostConfig.PortBindings must be an object, not " + bindings);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            int[] port = containerPort(key);
            String proto = protocol(key);
            List<?> list = e.getValue() instanceof List<?> l && !l.isEmpty() ? l : List.of(Map.of());
            for (Object o : list) {
                Map<?, ?> b = o instanceof Map<?, ?> m ? m : Map.of();
                String ip = b.get("HostIp") instanceof String s ? s : "";
                String hostPort = b.get("HostPort") instanceof String s ? s.trim() : "";
                out.add(new PortMapping(ip, hostPort(key, hostPort), port[0], proto));
            }
        }
        return out;
    }

    /** -P: each exposed port not bound already gets a free host port on every address. */
    static List<PortMapping> publishAll(List<PortMapping> bound, List<String> exposed) {
        List<PortMapping> out = new ArrayList<>();
        for (String key : exposed) {
            int port = containerPort(key)[0];
            String proto = protocol(key);
            boolean taken = bound.stream().anyMatch(p -> p.containerPort() == port && p.protocol().equals(proto))
                    || out.stream().anyMatch(p -> p.containerPort() == port && p.protocol().equals(proto));
            if (!taken) out.add(new PortMapping("", 0, port, proto));
        }
        return out;
    }

    private static int[] containerPort(String key) {
        String p = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
        try {
            int v = Integer.parseInt(p);
            if (v < 1 || v > 65535) throw new NumberFormatException();
            return new int[] {v};
        } catch (NumberFormatException e) {
            throw ApiError.badParameter("invalid container port \"" + key + "\": use PORT/tcp or PORT/udp with a port from 1 to 65535");
        }
    }

    private static String protocol(String key) {
        String proto = key.contains("/") ? key.substring(key.indexOf('/') + 1).toLowerCase() : "tcp";
        if (!proto.equals("tcp") && !proto.equals("udp"))
            throw ApiError.badParameter("invalid protocol \"" + proto + "\" in port \"" + key + "\": hutch publishes tcp and udp");
        return proto;
    }

    private static int hostPort(String key, String text) {
        if (text.isEmpty()) return 0;
        try {
            int v = Integer.parseInt(text);
            if (v < 0 || v > 65535) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badParameter("invalid host port \"" + text + "\" for " + key
                    + ": give one port from 1 to 65535, or none for a free one (ranges are not supported)");
        }
    }

    /** NetworkSettings.Ports: each published port with the host port chosen; empty for a container not running. */
    static Map<String, Object> settings(List<PortMapping> published) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PortMapping p : published) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) out.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            list.add(Map.of("HostIp", hostIp(p), "HostPort", String.valueOf(p.hostPort())));
        }
        return out;
    }

    /** The list's Ports entries, as docker ps reads them. */
    static List<Map<String, Object>> summary(List<PortMapping> published) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PortMapping p : published) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("IP", hostIp(p));
            m.put("PrivatePort", p.containerPort());
            m.put("PublicPort", p.hostPort());
            m.put("Type", p.protocol());
            out.add(m);
        }
        return out;
    }

    /** HostConfig.PortBindings as the request gave them (a free port: an empty HostPort). */
    static Map<String, Object> requested(List<PortMapping> ports) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PortMapping p : ports) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) out.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            list.add(Map.of("HostIp", p.hostIp(), "HostPort", p.hostPort() == 0 ? "" : String.valueOf(p.hostPort())));
        }
        return out;
    }

    private static String hostIp(PortMapping p) { return p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(); }
}
