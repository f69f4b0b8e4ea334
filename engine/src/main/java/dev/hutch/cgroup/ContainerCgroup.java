package dev.hutch.cgroup;

import dev.hutch.spec.Resources;

import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup directories of one container, across all controllers it has (one directory per
 * hierarchy: several on v1 and hybrid hosts, one on a pure v2 host).
 */
public interface ContainerCgroup {

    /** Every directory made for the container, recorded in its state so {@code rm} can remove them. */
    List<Path> paths();

    /** The cgroup.procs files init's pid is written into before the container runs. */
    List<Path> procsFiles();

    /**
     * memory.oom_control (v1) or memory.events (v2), whose {@code oom_kill} count tells an OOM kill;
     * null if the host has no memory controller.
     */
    Path oomFile();

    /** The v2 directory the device program goes on (see {@link dev.hutch.cgroup.v2.DevicesV2}); null without a v2 hierarchy. */
    default Path deviceProgramDir() { return null; }

    /** True if the kernel's OOM killer killed a process of this container (its own counter, never an exit code). */
    boolean oomKilled();

    /**
     * docker update: rewrites the given (non-null) limits, in the order the kernel needs (v1 memory
     * and memsw). A value the kernel refuses is a HutchException naming the flag; limits written
     * before it stay.
     */
    void update(Resources resources);

    /** Returns once the kernel reports every task frozen (v1 FROZEN, v2 {@code frozen 1}). */
    void freeze();

    void thaw();

    boolean frozen();

    /** Pids of every process in the cgroup (host pid namespace), from all its directories. */
    List<Long> pids();

    /** Counters now; -1 for what this host does not count. Fails if the cgroup is gone. */
    CgroupStats stats();

    /**
     * Kills what is still inside (SIGKILL to the pids in the container's own cgroup.procs, thawing
     * a frozen cgroup so they die), waits until it is empty, and removes every directory, child
     * cgroups included. Idempotent: a second call, or a call on a half-removed cgroup, is fine.
     */
    void destroy();
}
