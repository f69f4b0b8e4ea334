package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.json.JsonReader;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule for config.json fields hutch does not carry out: a field is either mapped, ignored on
 * purpose (listed in docs/oci.md with why), or refused with one line naming it. A field the
 * runtime never heard of is refused too: a container that silently lacks part of its config is
 * worse than one that does not start.
 */
final class ConfigFields {
    private ConfigFields() {}

    /** Every non-empty field of {@code r} must be in {@code mapped} or {@code ignored}. */
    static void check(JsonReader r, String where, Set<String> mapped, Set<String> ignored) {
        for (Map.Entry<String, Object> e : r.raw().entrySet()) {
            String k = e.getKey();
            if (mapped.contains(k) || ignored.contains(k) || isEmpty(e.getValue())) continue;
            throw refused(where + k, "is not supported by hutch's OCI runtime (docs/oci.md lists what is)");
        }
    }

    static boolean isEmpty(Object v) {
        return v == null || (v instanceof String s && s.isEmpty()) || (v instanceof Collection<?> c && c.isEmpty())
                || (v instanceof Map<?, ?> m && m.isEmpty());
    }

    static HutchException refused(String field, String why) {
        return new HutchException("config.json: " + field + " " + why);
    }

    static List<String> strings(JsonReader r, String key) {
        return r.has(key) ? r.strings(key) : List.of();
    }
}
