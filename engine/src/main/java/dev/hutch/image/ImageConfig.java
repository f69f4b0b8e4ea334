package dev.hutch.image;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run defaults an image carries, the "config" part of an OCI image config.
 */
public record ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user,
                          List<String> exposedPorts, Map<String, String> labels, String stopSignal,
                          dev.hutch.spec.HealthCheck healthcheck) implements JsonWritable {

    public static final List<String> DEFAULT_ENV =
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    public ImageConfig {
        env = List.copyOf(env == null ? List.of() : env);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = List.copyOf(cmd == null ? List.of() : cmd);
        exposedPorts = List.copyOf(exposedPorts == null ? List.of() : exposedPorts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        stopSignal = stopSignal == null || stopSignal.isEmpty() ? null : stopSignal;
        healthcheck = healthcheck == null ? dev.hutch.spec.HealthCheck.NONE : healthcheck;
    }

    /** Without a HEALTHCHECK. */
    public ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user,
                       List<String> exposedPorts, Map<String, String> labels, String stopSignal) {
        this(env, entrypoint, cmd, workdir, user, exposedPorts, labels, stopSignal, null);
    }

    /** This config with {@code from}'s StopSignal and HEALTHCHECK: what a build step that changes neither keeps. */
    public ImageConfig carrying(ImageConfig from) {
        return new ImageConfig(env, entrypoint, cmd, workdir, user, exposedPorts, labels, from.stopSignal, from.healthcheck);
    }

    /** Without a StopSignal: {@code stop} sends SIGTERM. */
    public ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user,
                       List<String> exposedPorts, Map<String, String> labels) {
        this(env, entrypoint, cmd, workdir, user, exposedPorts, labels, null, null);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Env", env);
        if (entrypoint != null) m.put("Entrypoint", entrypoint);
        m.put("Cmd", cmd);
        m.put("WorkingDir", workdir == null ? "" : workdir);
        m.put("User", user == null ? "" : user);
        if (!exposedPorts.isEmpty()) {
            Map<String, Object> ports = new LinkedHashMap<>();
            exposedPorts.forEach(p -> ports.put(p, Map.of()));
            m.put("ExposedPorts", ports);
        }
        if (!labels.isEmpty()) m.put("Labels", new LinkedHashMap<>(labels));
        if (stopSignal != null) m.put("StopSignal", stopSignal);
        if (!healthcheck.isDefault()) m.put("Healthcheck", healthcheckJson(healthcheck));
        return m;
    }

    public static ImageConfig fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        String wd = r.string("WorkingDir", "");
        String user = r.string("User", "");
        return new ImageConfig(r.strings("Env"), r.has("Entrypoint") ? r.strings("Entrypoint") : null, r.strings("Cmd"),
                wd.isEmpty() ? null : wd, user.isEmpty() ? null : user,
                List.copyOf(r.object("ExposedPorts").raw().keySet()), r.stringMap("Labels"), r.string("StopSignal", ""),
                r.has("Healthcheck") && r.raw().get("Healthcheck") != null ? healthcheck(r.object("Healthcheck")) : null);
    }

    /** The image config's Healthcheck: durations in nanoseconds, as docker writes them. */
    public static Map<String, Object> healthcheckJson(dev.hutch.spec.HealthCheck h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Test", h.test());
        if (h.intervalMillis() != 0) m.put("Interval", h.intervalMillis() * 1_000_000L);
        if (h.timeoutMillis() != 0) m.put("Timeout", h.timeoutMillis() * 1_000_000L);
        if (h.startPeriodMillis() != 0) m.put("StartPeriod", h.startPeriodMillis() * 1_000_000L);
        if (h.retries() != 0) m.put("Retries", h.retries());
        return m;
    }

    public static dev.hutch.spec.HealthCheck healthcheck(JsonReader r) {
        return new dev.hutch.spec.HealthCheck(r.strings("Test"), r.number("Interval", 0) / 1_000_000L, r.number("Timeout", 0) / 1_000_000L,
                r.number("StartPeriod", 0) / 1_000_000L, (int) r.number("Retries", 0));
    }
}
