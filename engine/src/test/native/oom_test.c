/*
 * Tests of oom.c's counting, on a plain file in memory.events' form (a real cgroup needs root and
 * is the job of ResourceLimitsTest): the oom_kill count read, a wake-up that finds no new kill
 * looking again until the count rises (v1 signals before the kill), kills counted once, and the
 * looks again ending after their time. Run by `make test`; needs no root.
 */
#define _GNU_SOURCE
#include "../../main/c/oom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

static void write_count(const char *path, int kills)
{
    FILE *f = fopen(path, "w");
    fprintf(f, "low 0\nhigh 0\nmax 3\noom 2\noom_kill %d\noom_group_kill 0\n", kills);
    fclose(f);
}

int main(void)
{
    char dir[] = "/tmp/hutch-oom-test.XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[256];
    snprintf(path, sizeof path, "%s/memory.events", dir);
    write_count(path, 0);

    struct oom_watch w;
    oom_watch_open(&w, path);
    check(w.fd >= 0, "memory.events is watched (inotify)");
    check(oom_watch_wait_ms(&w, 1000) == -1, "nothing to look at again at first");

    check(oom_watch_check(&w, 1, 1000) == 0, "a wake-up without a new kill: none");
    check(oom_watch_wait_ms(&w, 1000) == 50, "and a look again in 50 ms");
    check(oom_watch_check(&w, 0, 1020) == 0, "not before its time");
    write_count(path, 1);
    check(oom_watch_check(&w, 0, 1050) == 1, "the kill that came after the signal is found by the look again");
    check(oom_watch_wait_ms(&w, 1050) == -1, "no more looks once found");
    check(oom_watch_check(&w, 1, 1100) == 0, "the same kill is not counted twice");

    write_count(path, 3);
    check(oom_watch_check(&w, 1, 2000) == 2, "two new kills at one wake-up");

    check(oom_watch_check(&w, 1, 3000) == 0, "a wake-up for another counter");
    check(oom_watch_check(&w, 0, 6000) == 0 && oom_watch_wait_ms(&w, 6000) == -1, "the looks again end after 3 s");

    check(oom_kills("/nonexistent/memory.events") == 0, "no file: no kills");
    oom_watch_close(&w);
    unlink(path);
    rmdir(dir);
    printf("oom_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
