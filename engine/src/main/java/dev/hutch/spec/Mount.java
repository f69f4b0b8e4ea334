package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A volume, bind mount or tmpfs in the container, docker's {@code --mount} model.
 *
 * @param type     bind (source is a host path), volume (source is a volume name, or empty for an
 *                 anonymous volume), tmpfs (no source)
 * @param options  extra options, e.g. tmpfs {@code size} and {@code mode}
 */
public record Mount(Type type, String source, String target, boolean readOnly, Map<String, String> options)
        implements JsonWritable {

    public enum Type { BIND, VOLUME, TMPFS }

    public Mount {
        options = Map.copyOf(options == null ? Map.of() : options);
        source = source == null ? "" : source;
    }

    /**
     * Option of a bind mount ({@code -v HOST:CTR:idmap}, podman's): with {@code --userns=auto},
     * the source is an idmapped mount for the container's user namespace, so host uid N shows as
     * N inside and root inside writes as the host's root there.
     */
    public static final String IDMAP = "idmap";

    public boolean idmapped() { return "true".equals(options.get(IDMAP)); }

    public static Mount bind(String hostPath, String target, boolean readOnly) {
        return new Mount(Type.BIND, hostPath, target, readOnly, Map.of());
    }

    public static Mount volume(String name, String target, boolean readOnly) {
        return new Mount(Type.VOLUME, name, target, readOnly, Map.of());
    }

    public static Mount tmpfs(String target, Map<String, String> options) {
        return new Mount(Type.TMPFS, "", target, false, options);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type.name().toLowerCase());
        m.put("source", source);
        m.put("target", target);
        m.put("readOnly", readOnly);
        if (!options.isEmpty()) m.put("options", new LinkedHashMap<>(options));
        return m;
    }

    public static Mount fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new Mount(Type.valueOf(r.string("type").toUpperCase()), r.string("source", ""), r.string("target"),
                r.bool("readOnly", false), r.stringMap("options"));
    }
}
