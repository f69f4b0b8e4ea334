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

    /**
     * The check that runs: this one laid over the image's (its test if it has none, each duration
     * or count it leaves 0), or null when there is none or it is disabled.
     */
    public HealthCheck over(HealthCheck image) {
        if (disabled()) return null;
        HealthCheck base = image == null ? NONE : image;
        List<String> t = test.isEmpty() ? base.test : test;
        if (t.isEmpty() || "NONE".equals(t.get(0))) return null;
        return new HealthCheck(t, intervalMillis != 0 ? intervalMillis : base.intervalMillis,
                timeoutMillis != 0 ? timeoutMillis : base.timeoutMillis,
                startPeriodMillis != 0 ? startPeriodMillis : base.startPeriodMillis, retries != 0 ? retries : base.retries);
    }

    /** The command line of the test: {@code CMD-SHELL x} runs {@code /bin/sh -c x}, {@code CMD a b} runs {@code a b}. */
    public List<String> argv() {
        if (test.isEmpty()) return List.of();
        if ("CMD-SHELL".equals(test.get(0))) return List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
        return test.subList(1, test.size());
    }

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
