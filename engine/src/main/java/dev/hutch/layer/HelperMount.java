package dev.hutch.layer;

import java.util.List;

/**
 * One {@code mount} line of the helper's launch file (docs/helper-protocol.md): performed by the
 * helper inside the container's mount namespace, in order.
 *
 * @param target inside the rootfs; "/" is the rootfs itself
 * @param flags  bind, rbind, ro, nosuid, nodev, noexec, private, rprivate, mkdir, file ...
 */
public record HelperMount(String source, String target, String fstype, List<String> flags, String data) {
    public HelperMount {
        source = source == null ? "" : source;
        fstype = fstype == null ? "" : fstype;
        flags = List.copyOf(flags == null ? List.of() : flags);
        data = data == null ? "" : data;
    }

    public String toLine() {
        return String.join("\t", source, target, fstype, String.join(",", flags), data);
    }
}
