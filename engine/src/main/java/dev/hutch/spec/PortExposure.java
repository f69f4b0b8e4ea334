package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code --expose PORT[/PROTO]} (ports the container declares, beyond the image's
 * EXPOSE) and {@code -P} (publish every declared port on a free host port).
 *
 * @param ports      "80/tcp", as the image config writes them
 * @param publishAll {@code -P}
 */
public record PortExposure(List<String> ports, boolean publishAll) implements JsonWritable {
    public static final PortExposure NONE = new PortExposure(List.of(), false);

    public PortExposure {
        ports = List.copyOf(ports == null ? List.of() : ports);
    }

    public boolean isDefault() { return equals(NONE); }

    /**
     * docker's {@code --expose}: {@code 80}, {@code 80/udp} or a range {@code 8000-8002/tcp}, as "PORT/PROTO" entries.
     */
    public static List<String> parse(String text) {
        String field = "--expose";
        String spec = text == null ? "" : text.trim(), proto = "tcp";
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase();
            spec = spec.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp"))
                throw new InvalidSpecException(field, text, "has protocol \"" + proto + "\" (use tcp or udp)");
        }
        int dash = spec.indexOf('-');
        int first = port(text, dash < 0 ? spec : spec.substring(0, dash));
        int last = dash < 0 ? first : port(text, spec.substring(dash + 1));
        if (last < first) throw new InvalidSpecException(field, text, "is a range that ends before it starts");
        if (last - first > 10_000) throw new InvalidSpecException(field, text, "is a range of more than 10000 ports");
        List<String> out = new ArrayList<>();
        for (int p = first; p <= last; p++) out.add(p + "/" + proto);
        return out;
    }

    private static int port(String text, String p) {
        try {
            int v = Integer.parseInt(p);
            if (v < 1 || v > 65535) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("--expose", text, "is not PORT[/PROTO] or FIRST-LAST[/PROTO] with ports 1 to 65535 (try 80 or 8000-8002/udp)");
        }
    }

    /**
     * With {@code -P}: a mapping to a free host port for every port the image or --expose declares
     * that {@code -p} does not publish already. Without it: none.
     */
    public List<PortMapping> publishedAlso(List<String> imageExposed, List<PortMapping> explicit) {
        List<PortMapping> out = new ArrayList<>();
        if (!publishAll) return out;
        List<String> all = new ArrayList<>(imageExposed);
        for (String p : ports) if (!all.contains(p)) all.add(p);
        for (String p : all) {
            String[] f = p.split("/", 2);
            int port;
            try {
                port = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                continue; // not a port the image should have declared: nothing to publish
            }
            String proto = f.length > 1 ? f[1] : "tcp";
            boolean already = explicit.stream().anyMatch(m -> m.containerPort() == port && m.protocol().equals(proto));
            if (!already && (proto.equals("tcp") || proto.equals("udp"))) out.add(new PortMapping("", 0, port, proto));
        }
        return out;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!ports.isEmpty()) m.put("ports", ports);
        if (publishAll) m.put("publishAll", true);
        return m;
    }

    public static PortExposure fromJson(Object json) {
        if (json == null) return NONE;
        JsonReader r = JsonReader.of(json);
        return new PortExposure(r.strings("ports"), r.bool("publishAll", false));
    }
}
