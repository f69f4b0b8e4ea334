package dev.hutch.oci;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code hutch oci create} records for one container in {@code ROOT/ID/state.json}: enough
 * for every later command, each of which runs in a JVM of its own. The status is never stored:
 * it is read from the kernel each time ({@link OciStatus}), so a container that died while no
 * hutch process was watching is reported stopped, not running.
 *
 * @param pid          host pid of the container's init (the pid file's number); 0 before it exists
 * @param pidStartTime that process's start time (/proc/PID/stat field 22): a reused pid is not ours
 * @param cgroupPaths  the cgroup directories made for the container, under hutch's parent only
 * @param hooks        poststart and poststop hooks (by stage, as in config.json) for start and delete
 */
public record OciState(String id, long pid, long pidStartTime, String bundle, String rootfs, String created,
                       Map<String, String> annotations, List<String> cgroupPaths, List<String> namespaces,
                       List<String> joinedNamespaces, List<String> capabilities, boolean noNewPrivileges,
                       String seccompHex, Map<String, Object> hooks) implements JsonWritable {

    public OciState {
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        cgroupPaths = List.copyOf(cgroupPaths == null ? List.of() : cgroupPaths);
        namespaces = List.copyOf(namespaces == null ? List.of() : namespaces);
        joinedNamespaces = List.copyOf(joinedNamespaces == null ? List.of() : joinedNamespaces);
        capabilities = List.copyOf(capabilities == null ? List.of() : capabilities);
        hooks = hooks == null ? Map.of() : hooks;
    }

    public OciState withPid(long newPid, long startTime) {
        return new OciState(id, newPid, startTime, bundle, rootfs, created, annotations, cgroupPaths, namespaces,
                joinedNamespaces, capabilities, noNewPrivileges, seccompHex, hooks);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("pid", pid);
        m.put("pidStartTime", pidStartTime);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("annotations", new LinkedHashMap<>(annotations));
        m.put("cgroupPaths", cgroupPaths);
        m.put("namespaces", namespaces);
        m.put("joinedNamespaces", joinedNamespaces);
        m.put("capabilities", capabilities);
        m.put("noNewPrivileges", noNewPrivileges);
        if (seccompHex != null) m.put("seccomp", seccompHex);
        if (!hooks.isEmpty()) m.put("hooks", hooks);
        return m;
    }

    public static OciState fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new OciState(r.string("id"), r.number("pid", 0), r.number("pidStartTime", 0), r.string("bundle"),
                r.string("rootfs"), r.string("created"), r.stringMap("annotations"), r.strings("cgroupPaths"),
                r.strings("namespaces"), r.strings("joinedNamespaces"), r.strings("capabilities"),
                r.bool("noNewPrivileges", false), r.string("seccomp"), r.object("hooks").raw());
    }
}
