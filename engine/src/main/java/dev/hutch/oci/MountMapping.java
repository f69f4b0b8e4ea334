package dev.hutch.oci;

import dev.hutch.json.JsonReader;
import dev.hutch.layer.HelperMount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The bundle's {@code mounts} as the helper's mount lines, in the config's order. Options that
 * are mount flags become flags; {@code key=value} and the filesystems' own words (mode=755,
 * newinstance) become the mount's data. A bind mount has no data, so a word the helper does not
 * know is refused there rather than dropped.
 */
final class MountMapping {
    private static final Set<String> FLAGS = Set.of("bind", "rbind", "ro", "nosuid", "nodev", "noexec", "relatime",
            "strictatime", "noatime", "nodiratime", "private", "rprivate", "slave", "rslave", "shared", "rshared",
            "unbindable", "runbindable");
    /** The kernel's defaults, or the absence of a flag: nothing to pass. */
    private static final Set<String> DEFAULTS = Set.of("rw", "suid", "dev", "exec", "atime", "diratime", "async",
            "norelatime", "nostrictatime", "defaults");

    private MountMapping() {}

    /** @param pureCgroupV2 whether the host has only the unified hierarchy (see {@link #cgroupMount}) */
    static List<HelperMount> map(List<Object> mounts, boolean pureCgroupV2) {
        List<HelperMount> out = new ArrayList<>();
        int i = 0;
        for (Object o : mounts) {
            String where = "mounts[" + i++ + "]";
            JsonReader m = JsonReader.of(o);
            ConfigFields.check(m, where + ".", Set.of("destination", "type", "source", "options"), Set.of());
            String dest = m.string("destination", "");
            if (!dest.startsWith("/")) throw ConfigFields.refused(where + ".destination", "\"" + dest + "\" must be an absolute path");
            String type = m.string("type", "");
            List<String> options = ConfigFields.strings(m, "options");
            boolean bind = type.equals("bind") || options.contains("bind") || options.contains("rbind");
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                out.add(cgroupMount(dest, options, pureCgroupV2));
                continue;
            }
            List<String> flags = new ArrayList<>();
            List<String> data = new ArrayList<>();
            for (String opt : options) {
                if (FLAGS.contains(opt)) flags.add(opt);
                else if (DEFAULTS.contains(opt)) continue;
                else if (bind) throw ConfigFields.refused(where + ".options", "\"" + opt + "\" is not a bind mount option hutch knows");
                else data.add(opt);
            }
            String source = m.string("source", "");
            if (bind) {
                if (!flags.contains("bind") && !flags.contains("rbind")) flags.add(0, "bind");
                // the target is made like the source: a file for a file (/etc/hosts), else a directory
                flags.add(Files.isDirectory(Path.of(source)) ? "mkdir" : "file");
                out.add(new HelperMount(source, dest, "", flags, ""));
            } else {
                flags.add("mkdir");
                out.add(new HelperMount(source, dest, type, flags, String.join(",", data)));
            }
        }
        return out;
    }

    /**
     * A cgroup filesystem for the container: on a pure v2 host the container's own cgroup2 (its
     * cgroup namespace makes it the root); on a v1 or hybrid host an empty read-only tmpfs, since
     * hutch does not rebuild v1 hierarchies per container (docs/oci.md).
     */
    private static HelperMount cgroupMount(String dest, List<String> options, boolean pureCgroupV2) {
        List<String> flags = new ArrayList<>();
        for (String f : List.of("nosuid", "nodev", "noexec", "ro")) if (options.contains(f)) flags.add(f);
        flags.add("mkdir");
        return pureCgroupV2 ? new HelperMount("cgroup2", dest, "cgroup2", flags, "")
                : new HelperMount("tmpfs", dest, "tmpfs", flags, "mode=755");
    }
}
