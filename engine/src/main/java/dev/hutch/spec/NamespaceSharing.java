package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which namespaces the container shares, docker's {@code --ipc}, {@code --pid}, {@code --uts} and
 * {@code --cgroupns}. Each mode is null for docker's default (a namespace of the container's own),
 * or one of the words docker has for that flag: {@code host}, {@code private}, {@code shareable}
 * (ipc only), {@code none} (ipc only) or {@code container:NAME}.
 */
public record NamespaceSharing(String ipc, String pid, String uts, String cgroupns) implements JsonWritable {
    public static final NamespaceSharing DEFAULT = new NamespaceSharing(null, null, null, null);
    public static final String CONTAINER_PREFIX = "container:";

    public boolean isDefault() { return equals(DEFAULT); }

    public NamespaceSharing withIpc(String v) { return new NamespaceSharing(v, pid, uts, cgroupns); }
    public NamespaceSharing withPid(String v) { return new NamespaceSharing(ipc, v, uts, cgroupns); }
    public NamespaceSharing withUts(String v) { return new NamespaceSharing(ipc, pid, v, cgroupns); }
    public NamespaceSharing withCgroupns(String v) { return new NamespaceSharing(ipc, pid, uts, v); }

    /** The container a {@code container:NAME} mode names, or null for any other mode. */
    public static String containerOf(String mode) {
        return mode != null && mode.startsWith(CONTAINER_PREFIX) ? mode.substring(CONTAINER_PREFIX.length()) : null;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (ipc != null) m.put("ipc", ipc);
        if (pid != null) m.put("pid", pid);
        if (uts != null) m.put("uts", uts);
        if (cgroupns != null) m.put("cgroupns", cgroupns);
        return m;
    }

    public static NamespaceSharing fromJson(Object json) {
        if (json == null) return DEFAULT;
        JsonReader r = JsonReader.of(json);
        return new NamespaceSharing(r.string("ipc"), r.string("pid"), r.string("uts"), r.string("cgroupns"));
    }
}
