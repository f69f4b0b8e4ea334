package dev.hutch.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --volumes-from CONTAINER[:ro|rw]}: the container whose volumes and bind mounts are
 * mounted again at the same paths, and the mode docker applies to all of them ({@code ro} or
 * {@code rw}), or null to keep each mount's own.
 */
public record VolumesFrom(String container, Boolean readOnly) {

    public static VolumesFrom parse(String text) {
        if (text == null || text.isEmpty() || text.startsWith(":"))
            throw new InvalidSpecException("--volumes-from", text, "names no container (use CONTAINER[:ro|rw])");
        String[] parts = text.split(":", -1);
        if (parts.length > 2)
            throw new InvalidSpecException("--volumes-from", text, "is not CONTAINER[:ro|rw]");
        if (parts.length == 1) return new VolumesFrom(parts[0], null);
        return switch (parts[1]) {
            case "ro" -> new VolumesFrom(parts[0], true);
            case "rw" -> new VolumesFrom(parts[0], false);
            default -> throw new InvalidSpecException("--volumes-from", text, "has mode \"" + parts[1] + "\" (use ro or rw)");
        };
    }

    /**
     * The source's mounts as the new container gets them (docker's rules): volumes and bind mounts
     * at the same paths, tmpfs left out, the mode given here or else each mount's own, and a path
     * the new container mounts itself ({@code own}) left to its own mount.
     *
     * @param anonymousName the name the source's anonymous volume at that index got
     */
    public List<Mount> mountsOf(List<Mount> sourceMounts, List<Mount> own, java.util.function.IntFunction<String> anonymousName) {
        List<Mount> out = new ArrayList<>();
        for (int i = 0; i < sourceMounts.size(); i++) {
            Mount m = sourceMounts.get(i);
            if (m.type() == Mount.Type.TMPFS) continue;
            if (own.stream().anyMatch(o -> o.target().equals(m.target()))) continue;
            boolean ro = readOnly != null ? readOnly : m.readOnly();
            String source = m.type() == Mount.Type.VOLUME && m.source().isEmpty() ? anonymousName.apply(i) : m.source();
            java.util.Map<String, String> opts = new java.util.LinkedHashMap<>(m.options());
            opts.put("nocopy", "true"); // the source's volume is filled already: never seed it again from this image
            out.add(new Mount(m.type(), source, m.target(), ro, m.type() == Mount.Type.VOLUME ? opts : java.util.Map.of()));
        }
        return out;
    }
}
