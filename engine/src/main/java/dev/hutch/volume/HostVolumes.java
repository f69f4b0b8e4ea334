package dev.hutch.volume;

import dev.hutch.HutchException;
import dev.hutch.layer.HelperMount;
import dev.hutch.spec.Mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Binds, named volumes and tmpfs mounts as helper mount lines. A named volume is the directory
 * {@code <libRoot>/volumes/<name>/_data}, made on first use and, like docker, seeded with what the
 * image has at the mount point. Anonymous volumes ({@code -v /data}) are named after the container
 * and the mount's position, so {@code rm -v} finds them without any extra record.
 */
public final class HostVolumes implements VolumeMounts {
    private final Path volumesDir;
    private final VolumeStore store;

    public HostVolumes(Path volumesDir) {
        this.volumesDir = volumesDir;
        this.store = new VolumeStore(volumesDir);
    }

    /** Named volume verbs: create, ls, inspect, rm, prune. */
    public VolumeStore store() { return store; }

    public Path dataDir(String name) { return volumesDir.resolve(name).resolve("_data"); }

    public static String anonymousName(String containerId, int index) {
        return containerId.substring(0, Math.min(12, containerId.length())) + "-anon-" + index;
    }

    @Override
    public void check(List<Mount> mounts) {
        for (Mount m : mounts) {
            if (m.type() != Mount.Type.BIND) continue;
            Path src = Path.of(m.source());
            if (Files.exists(src)) continue;
            // plan() makes a missing source directory, as docker does: it can only if the
            // nearest part of the path that exists is a directory
            Path existing = src.getParent();
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing != null && !Files.isDirectory(existing))
                throw new HutchException("--volume: the host path " + src + " cannot be created: " + existing
                        + " is not a directory (bind an existing path, or fix the source)");
        }
    }

    @Override
    public List<HelperMount> plan(String containerId, List<Mount> mounts, List<Path> imageLayersTopFirst) {
        return plan(containerId, mounts, imageLayersTopFirst, null);
    }

    @Override
    public List<HelperMount> plan(String containerId, List<Mount> mounts, List<Path> imageLayersTopFirst,
                                  dev.hutch.userns.IdMapping idMap) {
        List<HelperMount> out = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            out.add(switch (m.type()) {
                case BIND -> bind(m);
                case TMPFS -> tmpfs(m);
                case VOLUME -> volume(m, m.source().isEmpty() ? anonymousName(containerId, i) : m.source(), imageLayersTopFirst, idMap);
            });
        }
        return out;
    }

    private static HelperMount bind(Mount m) {
        Path src = Path.of(m.source());
        if (!Files.exists(src)) {
            // docker's -v makes a missing host directory; a missing file cannot be guessed
            try {
                Files.createDirectories(src);
            } catch (IOException e) {
                throw new HutchException("--volume: cannot create the host directory " + src + ": " + e.getMessage(), e);
            }
        }
        List<String> flags = new ArrayList<>(List.of("rbind", Files.isDirectory(src) ? "mkdir" : "file"));
        if (m.readOnly()) flags.add("ro");
        return new HelperMount(src.toString(), m.target(), "", flags, "");
    }

    private static HelperMount tmpfs(Mount m) {
        List<String> flags = new ArrayList<>(List.of("nosuid", "nodev", "mkdir"));
        List<String> data = new ArrayList<>();
        m.options().forEach((k, v) -> {
            switch (k) {
                case "size", "mode" -> data.add(k + "=" + v);
                case "noexec", "nosuid", "nodev" -> { if (!flags.contains(k)) flags.add(k); }
                default -> { /* exec: the default */ }
            }
        });
        return new HelperMount("tmpfs", m.target(), "tmpfs", flags, String.join(",", data));
    }

    private HelperMount volume(Mount m, String name, List<Path> imageLayersTopFirst, dev.hutch.userns.IdMapping idMap) {
        Path data = store.ensure(name, java.util.Map.of(), m.source().isEmpty()).mountpoint();
        try {
            boolean fresh = isEmpty(data);
            if (fresh && !"true".equals(m.options().get("nocopy"))) seed(data, m.target(), imageLayersTopFirst);
            if (fresh && idMap != null) dev.hutch.userns.OwnerShift.intoRange(data, idMap);
        } catch (IOException e) {
            throw new HutchException("cannot copy the image's " + m.target() + " into volume " + name + ": " + e.getMessage(), e);
        }
        List<String> flags = new ArrayList<>(List.of("rbind", "mkdir"));
        if (m.readOnly()) flags.add("ro");
        return new HelperMount(data.toString(), m.target(), "", flags, "");
    }

    /**
     * docker copies the image's files at the mount point into an empty volume: the merged view of
     * the layers there (whiteouts and opaque dirs applied), not just the top layer's.
     */
    private static void seed(Path data, String target, List<Path> layersTopFirst) throws IOException {
        List<Path> bottomFirst = new ArrayList<>(layersTopFirst);
        java.util.Collections.reverse(bottomFirst);
        dev.hutch.layer.MergedSubtree.copy(bottomFirst, target, data);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Override
    public void removeAnonymous(String containerId, List<Mount> mounts) {
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).type() == Mount.Type.VOLUME && mounts.get(i).source().isEmpty()) {
                // through the store, under its lock, so a concurrent `volume ls` never sees half a volume
                store.remove(anonymousName(containerId, i), true, name -> false);
            }
        }
    }
}
