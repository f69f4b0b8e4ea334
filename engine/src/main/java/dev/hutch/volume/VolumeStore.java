package dev.hutch.volume;

import dev.hutch.util.FileLock;
import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.spec.SpecValidator;
import dev.hutch.util.AtomicFiles;
import dev.hutch.util.Dirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Named volumes under {@code <libRoot>/volumes}: {@code <name>/_data} is what containers mount,
 * {@code <name>/volume.json} the metadata ({"CreatedAt", "Labels", "Anonymous"}). A volume dir
 * without metadata (made by an older hutch) is still a volume. Changes happen under
 * {@code volumes/.hutch-volumes.lock}.
 */
public final class VolumeStore {
    private final Path dir;

    public VolumeStore(Path volumesDir) { this.dir = volumesDir; }

    public Path dataDir(String name) { return dir.resolve(name).resolve("_data"); }

    /** {@code volume create}: like docker, creating an existing volume returns it unchanged. */
    public Volume create(String name, Map<String, String> labels) {
        SpecValidator.checkName("volume name", name);
        return ensure(name, labels, false);
    }

    /** A new anonymous volume with a random 64-hex name, as docker names them. */
    public Volume createAnonymous() {
        byte[] b = new byte[32];
        // made here, not in a static field: SecureRandom's set-up costs ~7 ms, and every `run`
        // constructs a VolumeStore while few make an anonymous volume
        new SecureRandom().nextBytes(b);
        return ensure(HexFormat.of().formatHex(b), Map.of(), true);
    }

    /** The volume, made now if it does not exist ({@code run -v name:/path} creates it, like docker). */
    public Volume ensure(String name, Map<String, String> labels, boolean anonymous) {
        try (FileLock lock = lock()) {
            Volume existing = find(name);
            if (existing != null) return existing;
            Volume v = new Volume(name, dataDir(name), Instant.now(), labels, anonymous);
            Files.createDirectories(dataDir(name));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("CreatedAt", v.createdAt().toString());
            meta.put("Labels", new LinkedHashMap<>(v.labels()));
            meta.put("Anonymous", anonymous);
            AtomicFiles.write(dir.resolve(name).resolve("volume.json"), Json.pretty(meta) + "\n");
            return v;
        } catch (IOException e) {
            throw new HutchException("cannot create volume " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Volume find(String name) {
        if (!SpecValidator.NAME.matcher(name).matches() || !Files.isDirectory(dataDir(name))) return null;
        String text = AtomicFiles.readOrNull(dir.resolve(name).resolve("volume.json"));
        if (text == null) return new Volume(name, dataDir(name), modified(dir.resolve(name)), Map.of(), false);
        JsonReader r = JsonReader.of(Json.parseObject(text));
        return new Volume(name, dataDir(name), Instant.parse(r.string("CreatedAt", Instant.EPOCH.toString())),
                r.stringMap("Labels"), r.bool("Anonymous", false));
    }

    /** {@code volume inspect}. */
    public Volume inspect(String name) {
        Volume v = find(name);
        if (v == null) throw new NotFoundException("No such volume: " + name + " (see hutch volume ls)");
        return v;
    }

    /** {@code volume ls}, by name. */
    public List<Volume> list() {
        List<Volume> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Volume v = find(p.getFileName().toString());
                if (v != null) out.add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /**
     * {@code volume rm}: refused while a container uses the volume (docker refuses even with
     * {@code --force} then; force only makes a missing volume not an error).
     *
     * @param inUse given a volume name, whether some container (running or not) mounts it
     */
    public void remove(String name, boolean force, Predicate<String> inUse) {
        try (FileLock lock = lock()) {
            if (find(name) == null) {
                if (force) return;
                throw new NotFoundException("No such volume: " + name + " (see hutch volume ls)");
            }
            if (inUse.test(name))
                throw new HutchException("volume " + name + " is in use by a container: remove the container first (hutch rm CONTAINER)");
            Dirs.deleteRecursively(dir.resolve(name));
        }
    }

    /** {@code volume prune}: removes the volumes no container uses; returns their names. */
    public List<String> prune(Predicate<String> inUse) {
        List<String> removed = new ArrayList<>();
        for (Volume v : list()) {
            if (inUse.test(v.name())) continue;
            remove(v.name(), true, inUse);
            removed.add(v.name());
        }
        return removed;
    }

    private FileLock lock() { return FileLock.acquire(dir.resolve(".hutch-volumes.lock")); }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
