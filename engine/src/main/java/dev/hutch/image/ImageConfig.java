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
                          List<String> exposedPorts, Map<String, String> labels, String stopSignal) implements JsonWritable {

    public static final List<String> DEFAULT_ENV =
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    public ImageConfig {
        env = List.copyOf(env == null ? List.of() : env);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = List.copyOf(cmd == null ? List.of() : cmd);
        exposedPorts = List.copyOf(exposedPorts == null ? List.of() : exposedPorts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        stopSignal = stopSignal == null || stopSignal.isEmpty() ? null : stopSignal;
    }

    /** Without a StopSignal: {@code stop} sends SIGTERM. */
    public ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user,
                       List<String> exposedPorts, Map<String, String> labels) {
        this(env, entrypoint, cmd, workdir, user, exposedPorts, labels, null);
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
        return m;
    }

    public static ImageConfig fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        String wd = r.string("WorkingDir", "");
        String user = r.string("User", "");
        return new ImageConfig(r.strings("Env"), r.has("Entrypoint") ? r.strings("Entrypoint") : null, r.strings("Cmd"),
                wd.isEmpty() ? null : wd, user.isEmpty() ? null : user,
                List.copyOf(r.object("ExposedPorts").raw().keySet()), r.stringMap("Labels"), r.string("StopSignal", ""));
    }
}
