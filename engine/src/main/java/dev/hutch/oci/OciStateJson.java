package dev.hutch.oci;

import java.util.LinkedHashMap;
import java.util.Map;

/** The runtime-spec's state document: what {@code state} prints and what a hook reads on stdin. */
public final class OciStateJson {
    /** The runtime-spec version hutch's config reading follows. */
    public static final String SPEC_VERSION = "1.2.0";

    private OciStateJson() {}

    /** The pid is 0 once stopped, as runc reports it; {@code owner} is runc's addition. */
    public static Map<String, Object> of(OciState s, OciStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", SPEC_VERSION);
        m.put("id", s.id());
        m.put("pid", status == OciStatus.STOPPED ? 0 : s.pid());
        m.put("status", status.text());
        m.put("bundle", s.bundle());
        m.put("rootfs", s.rootfs());
        m.put("created", s.created());
        m.put("owner", "");
        if (!s.annotations().isEmpty()) m.put("annotations", new LinkedHashMap<>(s.annotations()));
        return m;
    }
}
