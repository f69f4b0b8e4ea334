package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's health check ({@code --health-cmd} and friends, or the image's HEALTHCHECK), in the
 * image config's own shape: {@code test} is {@code ["CMD-SHELL", cmd]}, {@code ["CMD", arg...]}
 * or {@code ["NONE"]}; durations are milliseconds, 0 meaning docker's default (30 s interval,
 * 30 s timeout, no start period, 3 retries).
 */
public record HealthCheck(List<String> test, long intervalMillis, long timeoutMillis, long startPeriodMillis,
                          int retries) implements JsonWritable {
    public static final HealthCheck NONE = new HealthCheck(List.of(), 0, 0, 0, 0);

    public HealthCheck {
        test = List.copyOf(test == null ? List.of() : test);
    }

    /** No check was asked for here (the image's own HEALTHCHECK may still apply). */
    public boolean isDefault() { return equals(NONE); }

    /** {@code --no-healthcheck} or a test of {@code NONE}: no check, even the image's. */
    public boolean disabled() { return !test.isEmpty() && "NONE".equals(test.get(0)); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", test);
        if (intervalMillis != 0) m.put("intervalMillis", intervalMillis);
        if (timeoutMillis != 0) m.put("timeoutMillis", timeoutMillis);
        if (startPeriodMillis != 0) m.put("startPeriodMillis", startPeriodMillis);
        if (retries != 0) m.put("retries", retries);
        return m;
    }

    public static HealthCheck fromJson(Object json) {
        if (json == null) return NONE;
        JsonReader r = JsonReader.of(json);
        return new HealthCheck(r.strings("test"), r.number("intervalMillis", 0), r.number("timeoutMillis", 0),
                r.number("startPeriodMillis", 0), (int) r.number("retries", 0));
    }
}
