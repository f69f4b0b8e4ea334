package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docker's {@code --restart}: what the container's monitor does when the container's process
 * exits. {@code name} is one of {@code no}, {@code on-failure}, {@code always},
 * {@code unless-stopped}; {@code maxRetries} is on-failure's {@code :N} (0 for no limit).
 */
public record RestartPolicy(String name, int maxRetries) implements JsonWritable {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy {
        name = name == null || name.isEmpty() ? "no" : name;
    }

    public boolean isDefault() { return equals(NO); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (maxRetries != 0) m.put("maxRetries", maxRetries);
        return m;
    }

    public static RestartPolicy fromJson(Object json) {
        if (json == null) return NO;
        JsonReader r = JsonReader.of(json);
        Long n = r.longOrNull("maxRetries");
        return new RestartPolicy(r.string("name"), n == null ? 0 : n.intValue());
    }
}
