package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code hutch stop} does to this container when its own flags do not say: docker's
 * {@code --stop-signal} (else the image's StopSignal, else SIGTERM) and {@code --stop-timeout}
 * (seconds before SIGKILL; else 10; -1 waits for ever).
 */
public record StopPolicy(String signal, Integer timeoutSeconds) implements JsonWritable {
    public static final StopPolicy DEFAULT = new StopPolicy(null, null);
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    public boolean isDefault() { return equals(DEFAULT); }

    public StopPolicy withSignal(String s) { return new StopPolicy(s, timeoutSeconds); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (signal != null) m.put("signal", signal);
        if (timeoutSeconds != null) m.put("timeoutSeconds", timeoutSeconds);
        return m;
    }

    public static StopPolicy fromJson(Object json) {
        if (json == null) return DEFAULT;
        JsonReader r = JsonReader.of(json);
        Long t = r.longOrNull("timeoutSeconds");
        return new StopPolicy(r.string("signal"), t == null ? null : t.intValue());
    }
}
