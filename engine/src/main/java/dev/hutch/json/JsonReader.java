package dev.hutch.json;

import java.util.List;
import java.util.Map;

/** Typed access to a parsed JSON object, with defaults for absent keys. */
public final class JsonReader {
    private final Map<String, Object> map;

    public JsonReader(Map<String, Object> map) { this.map = map == null ? Map.of() : map; }

    @SuppressWarnings("unchecked")
    public static JsonReader of(Object value) { return new JsonReader((Map<String, Object>) value); }

    public boolean has(String key) { return map.containsKey(key) && map.get(key) != null; }

    public String string(String key) { Object v = map.get(key); return v == null ? null : v.toString(); }

    public String string(String key, String dflt) { String v = string(key); return v == null ? dflt : v; }

    public long number(String key, long dflt) {
        Object v = map.get(key);
        return v instanceof Number n ? n.longValue() : dflt;
    }

    public Long longOrNull(String key) {
        Object v = map.get(key);
        return v instanceof Number n ? n.longValue() : null;
    }

    public Double doubleOrNull(String key) {
        Object v = map.get(key);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    public boolean bool(String key, boolean dflt) {
        Object v = map.get(key);
        return v instanceof Boolean b ? b : dflt;
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        Object v = map.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        return list(key).stream().map(String::valueOf).toList();
    }

    public JsonReader object(String key) { return of(map.get(key)); }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String key) {
        Object v = map.get(key);
        if (!(v instanceof Map<?, ?> m)) return Map.of();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        ((Map<String, Object>) m).forEach((k, val) -> out.put(k, String.valueOf(val)));
        return out;
    }

    public Map<String, Object> raw() { return map; }
}
