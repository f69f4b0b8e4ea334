package dev.hutch.cgroup;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * cgroupfs played by a temp dir: mkdir makes the control files the kernel would (from a template
 * per hierarchy), rmdir refuses while tasks are listed (EBUSY), writes can be made to fail the way
 * the kernel refuses a value, and every write is recorded in order.
 */
public class FakeCgroupFs extends NioCgroupFs {
    /** Control files (name → initial content) a new directory gets, per mount point. */
    private final Map<Path, Map<String, String>> templates = new HashMap<>();
    private final Map<String, String> refusals = new HashMap<>();
    public final List<String> writes = new ArrayList<>();

    public void template(Path mount, Map<String, String> files) { templates.put(mount, new LinkedHashMap<>(files)); }

    /** Writes to files with this name fail with this reason, as the kernel's EINVAL/EBUSY would. */
    public void refuse(String fileName, String reason) { refusals.put(fileName, reason); }

    @Override
    public void write(Path file, String value) throws IOException {
        String reason = refusals.get(file.getFileName().toString());
        if (reason != null) throw new IOException(reason);
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        writes.add(file + "=" + value);
        String name = file.getFileName().toString();
        // files the kernel keeps as a list rather than replacing
        boolean append = name.equals("devices.allow") || name.equals("devices.deny") || name.endsWith("_device") || name.equals("io.max")
                || name.equals("cgroup.procs");
        if (name.equals("cgroup.subtree_control")) {
            String cur = Files.readString(file).trim();
            Files.writeString(file, (cur.isEmpty() ? "" : cur + " ") + value.substring(1) + "\n");
        } else if (append) {
            Files.writeString(file, Files.readString(file) + value + "\n");
        } else {
            Files.writeString(file, value + "\n");
        }
    }

    @Override
    public boolean mkdir(Path dir) throws IOException {
        boolean made = super.mkdir(dir);
        if (made) {
            Map<String, String> files = templateFor(dir);
            for (Map.Entry<String, String> f : files.entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return made;
    }

    @Override
    public void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString());
        Path procs = dir.resolve("cgroup.procs");
        if (Files.exists(procs) && !Files.readString(procs).isBlank()) throw new FileSystemException(dir.toString(), null, "Device or resource busy");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (Files.isDirectory(p)) throw new FileSystemException(dir.toString(), null, "Device or resource busy");
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private Map<String, String> templateFor(Path dir) {
        for (Map.Entry<Path, Map<String, String>> e : templates.entrySet()) if (dir.startsWith(e.getKey())) return e.getValue();
        return Map.of();
    }

    /** Writes recorded so far, with paths relative to {@code root}, e.g. {@code memory/hutch/c1/memory.limit_in_bytes=1024}. */
    public List<String> writesUnder(Path root) {
        return writes.stream().map(w -> w.startsWith(root.toString()) ? w.substring(root.toString().length() + 1) : w).toList();
    }
}
