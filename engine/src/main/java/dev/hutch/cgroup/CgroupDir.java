package dev.hutch.cgroup;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One cgroup directory seen through a {@link CgroupFs}: what planning reads (which files exist,
 * what they hold now) and what stats read. Writes go through {@link CgroupWriter} so that a
 * refused value becomes an error that names the flag.
 */
public record CgroupDir(CgroupFs fs, Path path) {

    public Path file(String name) { return path.resolve(name); }

    public boolean exists() { return fs.exists(path); }

    public boolean has(String name) { return fs.exists(path.resolve(name)); }

    public CgroupDir parent() { return new CgroupDir(fs, path.getParent()); }

    /** The file's text, trimmed. */
    public String read(String name) {
        try {
            return fs.read(path.resolve(name)).trim();
        } catch (NoSuchFileException e) {
            throw new HutchException("cgroup file " + path.resolve(name) + " does not exist (the cgroup is gone, or this kernel lacks the feature)");
        } catch (IOException e) {
            throw new HutchException("cannot read " + path.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** The file's text, trimmed, or null if the file does not exist or cannot be read. */
    public String readIfPresent(String name) {
        try {
            return fs.read(path.resolve(name)).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** A flat-keyed file ({@code key value} lines) as a map; empty if the file is missing. */
    public Map<String, Long> flatKeyed(String name) {
        String text = readIfPresent(name);
        return text == null ? Map.of() : CgroupText.flatKeyed(text);
    }

    /** A single-number file ("max" as -1), or {@code absent} if the file is missing or unreadable. */
    public long valueOr(String name, long absent) {
        String text = readIfPresent(name);
        if (text == null || text.isEmpty()) return absent;
        try {
            return CgroupText.value(text);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    @Override public String toString() { return path.toString(); }
}
