package dev.hutch.userns;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One container's user namespace mapping: ids {@code 0..count-1} inside are host ids
 * {@code hostStart..hostStart+count-1}, uids and gids alike. Written by the engine into init's
 * {@code /proc/PID/uid_map} and {@code gid_map} between the helper's {@code pid} and {@code go}.
 */
public record IdMapping(long hostStart, long count) {

    public static IdMapping of(IdRange r) { return new IdMapping(r.start(), r.count()); }

    /** The host id of a container id, or -1 if it is not mapped. */
    public long toHost(long inside) { return inside >= 0 && inside < count ? hostStart + inside : -1; }

    /** The container id of a host id, or -1 if it is outside the range. */
    public long toContainer(long host) { return host >= hostStart && host < hostStart + count ? host - hostStart : -1; }

    /** The line of uid_map/gid_map (and of /proc/self/uid_map read inside). */
    public String mapLine() { return "0 " + hostStart + " " + count + "\n"; }

    /**
     * Writes the maps of init (a process in a new user namespace, still waiting for "go"). The
     * kernel takes one write per file; setgroups stays "allow" (only an unprivileged writer must
     * deny it), so root inside can set its supplementary groups.
     */
    public void writeFor(Path procRoot, long pid) {
        for (String f : new String[] {"uid_map", "gid_map"}) {
            Path p = procRoot.resolve(Long.toString(pid)).resolve(f);
            try {
                Files.write(p, mapLine().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new HutchException("cannot write " + p + " (" + mapLine().strip() + "): " + e.getMessage(), e);
            }
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostStart", hostStart);
        m.put("count", count);
        return m;
    }

    /** From the rootfs record's {@code idMapping}, or null. */
    public static IdMapping fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m)) return null;
        Object s = m.get("hostStart"), c = m.get("count");
        if (!(s instanceof Number start) || !(c instanceof Number count)) return null;
        return new IdMapping(start.longValue(), count.longValue());
    }
}
