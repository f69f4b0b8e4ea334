package dev.hutch.layer;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;
import dev.hutch.userns.IdMapping;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container's state remembers of its root filesystem ({@code ContainerState.rootfs}): the
 * host dirs that {@code commit} and {@code export} read and {@code exec -u} looks users up in.
 * {@link #EMPTY} before the run reached the rootfs step (stored as {@code {}}).
 *
 * @param driver    "overlay", "aufs" or "copy"
 * @param upperDir  the container's writable layer; null in {@link #EMPTY}
 * @param lowerDirs the image's layer dirs, bottom first
 * @param idMapping the container's user namespace range ({@code --userns=auto}), or null: commit
 *                  needs it to give the layer back the owners seen inside
 */
public record RootfsRecord(String driver, Path rootfs, Path upperDir, Path workDir, List<Path> lowerDirs,
                           IdMapping idMapping) implements JsonWritable {

    public static final RootfsRecord EMPTY = new RootfsRecord(null, null, null, null, List.of(), null);

    public RootfsRecord {
        lowerDirs = List.copyOf(lowerDirs == null ? List.of() : lowerDirs);
    }

    /** Without a user namespace. */
    public RootfsRecord(String driver, Path rootfs, Path upperDir, Path workDir, List<Path> lowerDirs) {
        this(driver, rootfs, upperDir, workDir, lowerDirs, null);
    }

    public RootfsRecord withIdMapping(IdMapping mapping) {
        return new RootfsRecord(driver, rootfs, upperDir, workDir, lowerDirs, mapping);
    }

    /** True when there is no writable layer recorded: nothing to commit, export or look into. */
    public boolean isEmpty() { return upperDir == null; }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        // field checks, not equals(EMPTY): a record's equals costs a cold JVM an indy bootstrap
        if (driver == null && upperDir == null && idMapping == null) return m;
        m.put("driver", driver);
        m.put("rootfs", str(rootfs));
        m.put("upperDir", str(upperDir));
        m.put("workDir", str(workDir));
        m.put("lowerDirs", lowerDirs.stream().map(Path::toString).toList());
        if (idMapping != null) m.put("idMapping", idMapping.toJson());
        return m;
    }

    /** Reads the stored map; {@code {}}, null or a record without a driver (older hutch: overlay) work too. */
    public static RootfsRecord fromJson(Object json) {
        if (!(json instanceof Map<?, ?> map) || map.isEmpty()) return EMPTY;
        JsonReader r = JsonReader.of(json);
        return new RootfsRecord(r.string("driver", "overlay"), path(r.string("rootfs")), path(r.string("upperDir")),
                path(r.string("workDir")), r.strings("lowerDirs").stream().map(Path::of).toList(),
                IdMapping.fromJson(map.get("idMapping")));
    }

    private static String str(Path p) { return p == null ? null : p.toString(); }

    private static Path path(String s) { return s == null ? null : Path.of(s); }
}
