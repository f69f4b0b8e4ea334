package dev.hutch.volume;

import dev.hutch.json.JsonWritable;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named volume: a directory on the host ({@code mountpoint}) that outlives containers. Its JSON
 * form is docker's {@code volume inspect} output.
 *
 * @param anonymous made for one container ({@code -v /data}); removed with it by {@code rm -v}
 */
public record Volume(String name, Path mountpoint, Instant createdAt, Map<String, String> labels, boolean anonymous)
        implements JsonWritable {

    public Volume {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreatedAt", createdAt.toString());
        m.put("Driver", "local");
        m.put("Labels", new LinkedHashMap<>(labels));
        m.put("Mountpoint", mountpoint.toString());
        m.put("Name", name);
        m.put("Options", Map.of());
        m.put("Scope", "local");
        if (anonymous) m.put("Anonymous", true);
        return m;
    }
}
