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

    /** The names docker accepts. */
    public static final java.util.List<String> NAMES = java.util.List.of("no", "on-failure", "always", "unless-stopped");

    /** {@code --restart} text: {@code no}, {@code on-failure[:N]}, {@code always}, {@code unless-stopped}. */
    public static RestartPolicy parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        if (!NAMES.contains(name))
            throw new InvalidSpecException("--restart", text, "is not a restart policy (use no, on-failure[:N], always or unless-stopped)");
        if (colon < 0) return new RestartPolicy(name, 0);
        String n = t.substring(colon + 1);
        if (!name.equals("on-failure"))
            throw new InvalidSpecException("--restart", text, "gives a retry count, which only on-failure takes (try on-failure:3)");
        int max;
        try {
            max = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("--restart", text, "has a retry count that is not a whole number (try on-failure:3)");
        }
        if (max < 0) throw new InvalidSpecException("--restart", text, "has a negative retry count (use 0 for no limit, or a positive number)");
        return new RestartPolicy(name, max);
    }

    /** Whether the policy restarts a container whose process ended with {@code exitCode} after {@code restarts} restarts. */
    public boolean restartsAfter(int exitCode, int restarts) {
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maxRetries == 0 || restarts < maxRetries);
            default -> false;
        };
    }

    @Override
    public String toString() { return maxRetries > 0 ? name + ":" + maxRetries : name; }

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
