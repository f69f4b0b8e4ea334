package dev.hutch.cli.service;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mtime and size of every classpath entry the service started with. A rebuilt hutch changes
 * them; the service then answers "retry" so the client starts a service of the new build.
 */
public final class BuildStamp {
    private final Map<Path, String> stamps;

    private BuildStamp(Map<Path, String> stamps) { this.stamps = stamps; }

    public static BuildStamp of(String classPath) {
        Map<Path, String> m = new LinkedHashMap<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path p = Path.of(entry).toAbsolutePath();
            m.put(p, stamp(p));
        }
        return new BuildStamp(m);
    }

    public static BuildStamp ofThisJvm() { return of(System.getProperty("java.class.path")); }

    /** Whether any entry changed (rebuilt, removed, added where it was missing) since the start. */
    public boolean changed() {
        for (Map.Entry<Path, String> e : stamps.entrySet()) if (!stamp(e.getKey()).equals(e.getValue())) return true;
        return false;
    }

    /** For `engine status`: the newest entry's mtime. */
    public String describe() {
        return stamps.size() + " classpath entries, newest " + stamps.values().stream().max(String::compareTo).orElse("-");
    }

    /** A jar's mtime and size; a directory (target/classes in tests) by its own mtime only. */
    private static String stamp(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.lastModifiedTime() + "/" + (a.isDirectory() ? "dir" : Long.toString(a.size()));
        } catch (IOException e) {
            return "missing";
        }
    }
}
