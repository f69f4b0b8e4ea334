package dev.hutch.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Single fake cgroup directories for planning tests. */
public final class FakeDirs {
    private FakeDirs() {}

    public static CgroupDir dir(Path tmp, String name, Map<String, String> files) {
        try {
            Path d = Files.createDirectories(tmp.resolve(name));
            for (Map.Entry<String, String> f : files.entrySet()) Files.writeString(d.resolve(f.getKey()), f.getValue());
            return new CgroupDir(new FakeCgroupFs(), d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void set(CgroupDir dir, String file, String value) { FakeCgroupTree.write(dir.file(file), value); }

    public static void remove(CgroupDir dir, String file) {
        try {
            Files.delete(dir.file(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plan as {@code file=value} strings, the way the tests read best. */
    public static List<String> show(List<CgroupWrite> writes) { return writes.stream().map(CgroupWrite::toString).toList(); }
}
