package dev.hutch.cgroup;

/** What a memory controller tells beyond limits: the OOM kill count, and where it lives. */
public interface MemoryCounters {

    /** memory.oom_control (v1) or memory.events (v2). */
    String oomFileName();

    /** How many processes the OOM killer killed in this cgroup (never guessed from exit codes). */
    long oomKills(CgroupDir dir);
}
