/*
 * OOM kills in the container's cgroup, seen as they happen (docs/helper-protocol.md "oom_file"),
 * so the monitor writes docker's oom event when the kernel kills, not when the container ends:
 * v2's memory.events is watched with inotify (the kernel notifies a modification of it), v1's
 * memory.oom_control with an eventfd registered in the cgroup's cgroup.event_control. Both
 * files have an "oom_kill N" line: the count is what is compared, so a wake-up for another
 * reason (v2's "high" or "max" counters) writes nothing. v1 signals as the cgroup goes out of
 * memory, before the kernel has picked and killed its victim: a wake-up that finds no new kill
 * looks again every RECHECK_EVERY_MS for RECHECK_FOR_MS.
 */
#ifndef HUTCH_OOM_H
#define HUTCH_OOM_H

struct oom_watch {
    int fd;                       /* to poll for POLLIN; -1: not watched (the count is still read at the end) */
    const char *file;             /* memory.events or memory.oom_control; NULL: no memory cgroup */
    unsigned long long reported;  /* kills already written as events */
    long recheck_until, next_check; /* monotonic ms; 0: nothing to look at again */
};

/* Starts watching; a failure leaves fd -1 (the end still reads the count). */
void oom_watch_open(struct oom_watch *w, const char *file);
/* The file's oom_kill count now (0 when it cannot be read). */
unsigned long long oom_kills(const char *file);
/* After POLLIN (woken: the fd is drained), or when oom_watch_wait_ms says so: how many kills are
 * new since the last call (0 or more). */
unsigned long long oom_watch_check(struct oom_watch *w, int woken, long now_ms);
/* How long until the next look (-1: none pending), for the monitor's poll timeout. */
int oom_watch_wait_ms(const struct oom_watch *w, long now_ms);
void oom_watch_close(struct oom_watch *w);

#endif
