package dev.hutch.cgroup;

import dev.hutch.config.EngineConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * For root integration tests on the real cgroupfs: a manager whose parent is
 * {@code hutch/test-<random>}, and a record of everything made so that {@link #cleanUp} removes it.
 */
final class RealCgroups {
    final String parent = "hutch/test-" + UUID.randomUUID().toString().substring(0, 8);
    final CgroupManager manager = Cgroups.forHost(EngineConfig.defaults().withCgroupParent(parent));
    private final List<ContainerCgroup> made = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    ContainerCgroup create(String id, dev.hutch.spec.Resources r) {
        ContainerCgroup cg = manager.create(id, r);
        made.add(cg);
        return cg;
    }

    /** Starts a host process (our own child, so its pid is recorded here) and moves it into the cgroup. */
    Process startInside(ContainerCgroup cg, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        for (Path procs : cg.procsFiles()) Files.writeString(procs, Long.toString(p.pid()));
        return p;
    }

    /** The text of a control file, from whichever of the container's directories has it. */
    static String file(ContainerCgroup cg, String name) {
        for (Path dir : cg.paths()) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                try {
                    return Files.readString(f).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return null;
    }

    /** v1 name where the controller is v1 here, else the v2 name. */
    static String file(ContainerCgroup cg, String v1Name, String v2Name) {
        String v1 = file(cg, v1Name);
        return v1 != null ? v1 : file(cg, v2Name);
    }

    void cleanUp() {
        for (Process p : started) p.destroyForcibly();
        for (ContainerCgroup cg : made) {
            try {
                cg.destroy();
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        manager.removeParentIfEmpty();
    }

    /** Every directory of the test parent, if any is left (to assert that nothing is). */
    List<Path> leftovers() {
        List<Path> left = new ArrayList<>();
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "freezer", "devices", "unified", "")) {
            Path p = Path.of("/sys/fs/cgroup", c, parent);
            if (Files.exists(p)) left.add(p);
        }
        return left;
    }
}
