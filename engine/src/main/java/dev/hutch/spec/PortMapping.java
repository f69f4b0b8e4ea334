package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code -p [IP:]HOSTPORT:CONTAINERPORT[/tcp|udp]}. A host port of 0 means "pick a free one".
 * An empty host IP means every host address.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) implements JsonWritable {

    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
    }

    /** Parses docker's {@code -p} syntax; the error names the flag and the value. */
    public static PortMapping parse(String text) {
        String field = "--publish";
        if (text == null || text.isBlank()) throw new InvalidSpecException(field, text, "is empty (try 8080:80)");
        String spec = text, proto = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase();
            spec = spec.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp"))
                throw new InvalidSpecException(field, text, "has protocol \"" + proto + "\" (use tcp or udp)");
        }
        String ip = "", host, ctr;
        String[] parts;
        if (spec.startsWith("[")) { // [::1]:8080:80
            int close = spec.indexOf(']');
            if (close < 0) throw new InvalidSpecException(field, text, "has an unclosed [ in the address");
            ip = spec.substring(1, close);
            parts = spec.substring(close + 2).split(":", -1);
            if (parts.length != 2) throw new InvalidSpecException(field, text, "is not [IP:]HOSTPORT:CONTAINERPORT (try 8080:80)");
            host = parts[0]; ctr = parts[1];
        } else {
            parts = spec.split(":", -1);
            switch (parts.length) {
                case 1 -> { host = ""; ctr = parts[0]; }
                case 2 -> { host = parts[0]; ctr = parts[1]; }
                case 3 -> { ip = parts[0]; host = parts[1]; ctr = parts[2]; }
                default -> throw new InvalidSpecException(field, text, "is not [IP:]HOSTPORT:CONTAINERPORT (try 8080:80)");
            }
        }
        int hostPort = host.isEmpty() ? 0 : port(field, text, host);
        int containerPort = port(field, text, ctr);
        if (containerPort == 0) throw new InvalidSpecException(field, text, "needs a container port from 1 to 65535");
        return new PortMapping(ip, hostPort, containerPort, proto);
    }

    private static int port(String field, String text, String p) {
        try {
            int v = Integer.parseInt(p);
            if (v < 0 || v > 65535) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(field, text, "has port \"" + p + "\" (ports are 1 to 65535)");
        }
    }

    @Override
    public String toString() {
        String ip = hostIp.isEmpty() ? "0.0.0.0" : hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
        return ip + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostIp", hostIp);
        m.put("hostPort", hostPort);
        m.put("containerPort", containerPort);
        m.put("protocol", protocol);
        return m;
    }

    public static PortMapping fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new PortMapping(r.string("hostIp", ""), (int) r.number("hostPort", 0), (int) r.number("containerPort", 0),
                r.string("protocol", "tcp"));
    }
}
