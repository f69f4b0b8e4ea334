package dev.hutch.cli.api;

import dev.hutch.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code filters} of {@code GET /containers/json}: a JSON map of key to values, either
 * {@code {"status":{"exited":true}}} (what the CLI sends) or the old {@code {"status":["exited"]}}.
 * Values of one key are alternatives; keys must all hold. As dockerd: {@code name} is a regular
 * expression searched in the name, {@code id} a prefix, {@code label} "KEY" or "KEY=VALUE",
 * {@code health} the health check's status (starting, healthy, unhealthy, or none without a check).
 */
record ContainerFilters(Map<String, List<String>> byKey) {
    private static final Set<String> KEYS = Set.of("status", "name", "id", "label", "health");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

    static ContainerFilters parse(String json) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return new ContainerFilters(byKey);
        Map<String, Object> raw;
        try {
            raw = Json.parseObject(json);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("invalid filters: " + json + " is not a JSON object");
        }
        raw.forEach((key, v) -> {
            if (!KEYS.contains(key)) throw ApiError.badParameter("invalid filter '" + key + "' (hutch serves status, name, id, label, health)");
            List<String> values = new ArrayList<>();
            if (v instanceof Map<?, ?> m) m.forEach((k, on) -> { if (Boolean.TRUE.equals(on)) values.add(String.valueOf(k)); });
            else if (v instanceof List<?> l) l.forEach(x -> values.add(String.valueOf(x)));
            else throw ApiError.badParameter("invalid filters: the values of '" + key + "' are neither a map nor a list");
            if (key.equals("status"))
                for (String s : values)
                    if (!STATUSES.contains(s)) throw ApiError.badParameter("Invalid filter 'status=" + s + "'");
            if (key.equals("health"))
                for (String s : values)
                    if (!HEALTH.contains(s)) throw ApiError.badParameter("Invalid filter 'health=" + s + "' (use starting, healthy, unhealthy or none)");
            if (key.equals("name"))
                for (String s : values) {
                    try {
                        Pattern.compile(s);
                    } catch (PatternSyntaxException e) {
                        throw ApiError.badParameter("invalid filter 'name=" + s + "': not a regular expression");
                    }
                }
            byKey.put(key, values);
        });
        return new ContainerFilters(byKey);
    }

    boolean admits(ContainerShapes.View v) {
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            boolean any = false;
            for (String value : e.getValue()) any |= matches(e.getKey(), value, v);
            if (!any) return false;
        }
        return true;
    }

    private static boolean matches(String key, String value, ContainerShapes.View v) {
        return switch (key) {
            case "status" -> v.status().label().equals(value);
            case "name" -> Pattern.compile(value).matcher("/" + v.name()).find();
            case "id" -> v.id().startsWith(value);
            case "health" -> value.equals(v.health() == null ? "none" : v.health().status());
            case "label" -> {
                int eq = value.indexOf('=');
                Map<String, String> labels = v.spec().labels();
                yield eq < 0 ? labels.containsKey(value) : value.substring(eq + 1).equals(labels.get(value.substring(0, eq)));
            }
            default -> false;
        };
    }
}
