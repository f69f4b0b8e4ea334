package dev.hutch.cli.api;

import dev.hutch.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code filters} query value for the network and volume lists: a JSON object of key to
 * values (a list, or the older map of value to true). A key this API does not serve is refused
 * (400), so a client never gets an unfiltered list it believes filtered.
 */
final class Filters {
    private Filters() {}

    static Map<String, List<String>> parse(String json, List<String> keys) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return out;
        Map<String, Object> raw;
        try {
            raw = Json.parseObject(json);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("invalid filters: " + json + " is not a JSON object");
        }
        raw.forEach((key, v) -> {
            if (!keys.contains(key)) throw ApiError.badParameter("invalid filter '" + key + "' (hutch serves " + String.join(", ", keys) + ")");
            List<String> values = new ArrayList<>();
            if (v instanceof Map<?, ?> m) m.forEach((k, on) -> { if (Boolean.TRUE.equals(on)) values.add(String.valueOf(k)); });
            else if (v instanceof List<?> l) l.forEach(x -> values.add(String.valueOf(x)));
            else throw ApiError.badParameter("invalid filters: the values of '" + key + "' are neither a map nor a list");
            out.put(key, values);
        });
        return out;
    }

    /** No values: anything; else any value matches, as a part of the name ({@code contains}) or a prefix of an id. */
    static boolean matches(List<String> values, String actual, boolean contains) {
        if (values == null || values.isEmpty()) return true;
        for (String v : values) if (contains ? actual.contains(v) : actual.startsWith(v)) return true;
        return false;
    }
}
