package dev.hutch.cgroup;

import dev.hutch.spec.Resources;

import java.nio.file.Path;
import java.util.List;

/** The cgroup directories of one container, across all controllers it has. */
public interface ContainerCgroup {

    /** Every directory made for the container, recorded in its state so {@code rm} can remove them. */
    List<Path> paths();

    /** The cgroup.procs files init's pid is written into before the container runs. */
    List<Path> procsFiles();

    /** memory.oom_control (v1) or memory.events (v2), whose {@code oom_kill} count tells an OOM kill. */
    Path oomFile();

    /** True if the kernel's OOM killer killed a process of this container. */
    boolean oomKilled();

    /** docker update: rewrites the given (non-null) limits. */
    void update(Resources resources);

    void freeze();

    void thaw();

    boolean frozen();

    /** Pids of every process in the cgroup. */
    List<Long> pids();

    CgroupStats stats();

    /** Removes every directory; processes still inside are killed first (SIGKILL, by recorded pid). */
    void destroy();
}
