package dev.hutch.cli.filter;

import dev.hutch.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker's filter arguments: key to values, from the command line's repeated {@code --filter KEY=VALUE}
 * or from the API's {@code filters} query, a JSON map of either {@code {"status":{"exited":true}}}
 * (what the docker CLI sends) or the old {@code {"status":["exited"]}}. Values of one key are
 * alternatives; keys must all hold (label, as docker, wants every value).
 */
public record FilterArgs(Map<String, List<String>> byKey) {
    public static final FilterArgs NONE = new FilterArgs(Map.of());

    /** {@code --filter KEY=VALUE}, each; the key as docker reads it (trimmed, lower case). */
    public static FilterArgs fromFlags(List<String> flags) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq < 0) throw new BadFilterException("bad format of filter (expected name=value): \"" + f + "\" (try --filter status=exited)");
            byKey.computeIfAbsent(f.substring(0, eq).trim().toLowerCase(), k -> new ArrayList<>()).add(f.substring(eq + 1).trim());
        }
        return new FilterArgs(byKey);
    }

    /** The API's {@code filters} query (null or blank: none). */
    public static FilterArgs fromJson(String json) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return new FilterArgs(byKey);
        Map<String, Object> raw;
        try {
            raw = Json.parseObject(json);
        } catch (RuntimeException e) {
            throw new BadFilterException("invalid filters: " + json + " is not a JSON object");
        }
        raw.forEach((key, v) -> {
            List<String> values = new ArrayList<>();
            if (v instanceof Map<?, ?> m) m.forEach((k, on) -> { if (Boolean.TRUE.equals(on)) values.add(String.valueOf(k)); });
            else if (v instanceof List<?> l) l.forEach(x -> values.add(String.valueOf(x)));
            else throw new BadFilterException("invalid filters: the values of '" + key + "' are neither a map nor a list");
            byKey.put(key, values);
        });
        return new FilterArgs(byKey);
    }

    /** Refuses a key outside {@code known}, in docker's words, naming the ones served. */
    void onlyKeys(Set<String> known) {
        for (String key : byKey.keySet())
            if (!known.contains(key)) throw BadFilterException.invalid(key, null, "use " + String.join(", ", new java.util.TreeSet<>(known)));
    }

    public boolean has(String key) { return !values(key).isEmpty(); }

    public List<String> values(String key) { return byKey.getOrDefault(key, List.of()); }

    /** docker's label match: every value ("KEY" or "KEY=VALUE") holds. */
    boolean labelsMatch(Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        for (String want : values("label")) {
            int eq = want.indexOf('=');
            if (eq < 0 ? !have.containsKey(want) : !want.substring(eq + 1).equals(have.get(want.substring(0, eq)))) return false;
        }
        return true;
    }
}
