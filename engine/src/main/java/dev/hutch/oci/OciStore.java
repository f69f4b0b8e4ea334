package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The OCI runtime's own state root ({@code --root}, default {@code /run/hutch-oci}): one directory
 * per container holding {@code state.json}, the launch file and, until {@code start}, the start
 * FIFO. Separate from hutch's own containers (a caller's ids are its own namespace).
 */
public final class OciStore {
    public static final Path DEFAULT_ROOT = Path.of("/run/hutch-oci");
    static final String STATE = "state.json";
    static final String START_FIFO = "start.fifo";
    /** Ids that are also valid cgroup names (the cgroup is oci-ID): no path tricks, at most 123 characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,122}");

    private final Path root;

    public OciStore(Path root) { this.root = root; }

    public Path root() { return root; }

    public Path dir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    public static void checkId(String id) {
        if (id == null || id.isEmpty()) throw new HutchException("container id cannot be empty");
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals(".."))
            throw new HutchException("invalid id format: " + id + " (letters, digits, _ . -; at most 123 characters, starting with a letter or digit)");
    }

    public boolean exists(String id) { return Files.isRegularFile(dir(id).resolve(STATE)); }

    /** The recorded state; "container does not exist" (runc's words, which callers match) if none. */
    public OciState load(String id) {
        Path f = dir(id).resolve(STATE);
        String text = AtomicFiles.readOrNull(f);
        if (text == null) throw new OciNotFoundException(id);
        return OciState.fromJson(Json.parse(text));
    }

    public void save(OciState s) { AtomicFiles.replace(dir(s.id()).resolve(STATE), Json.write(s.toJson()) + "\n"); }

    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (var entries = Files.list(root)) {
            for (Path p : entries.sorted().toList())
                if (Files.isRegularFile(p.resolve(STATE))) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new HutchException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    public void remove(String id) {
        dev.hutch.util.Dirs.deleteRecursively(dir(id));
    }
}
