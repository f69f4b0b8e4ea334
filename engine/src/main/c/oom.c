#define _GNU_SOURCE
#include "oom.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

unsigned long long oom_kills(const char *file)
{
    char buf[1024];
    if (!file || read_small_file(file, buf, sizeof buf) < 0)
        return 0;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        unsigned long long n;
        if (!strncmp(line, "oom_kill ", 9) && parse_u64(line + 9, &n) == 0)
            return n;
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* v1: "<eventfd> <fd of memory.oom_control>" written to cgroup.event_control; the kernel keeps
 * the registration (and signals the eventfd at each OOM, and when the cgroup goes). */
static int register_v1(const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash)
        return -1;
    char ctl[PATH_MAX];
    if (snprintf(ctl, sizeof ctl, "%.*s/cgroup.event_control", (int)(slash - file), file) >= (int)sizeof ctl)
        return -1;
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int cfd = open(file, O_RDONLY | O_CLOEXEC);
    int ectl = open(ctl, O_WRONLY | O_CLOEXEC);
    int ok = efd >= 0 && cfd >= 0 && ectl >= 0 && dprintf(ectl, "%d %d", efd, cfd) > 0;
    if (cfd >= 0)
        close(cfd);
    if (ectl >= 0)
        close(ectl);
    if (!ok && efd >= 0) {
        close(efd);
        efd = -1;
    }
    return efd;
}

static int watch_v2(const char *file)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd >= 0 && inotify_add_watch(fd, file, IN_MODIFY) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

void oom_watch_open(struct oom_watch *w, const char *file)
{
    w->fd = -1;
    w->file = file;
    w->reported = 0;
    w->recheck_until = w->next_check = 0;
    if (!file)
        return;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    w->fd = !strcmp(base, "memory.events") ? watch_v2(file) : register_v1(file);
    w->reported = oom_kills(file); /* a new run of a restarted container counts from here */
}

#define RECHECK_EVERY_MS 50
#define RECHECK_FOR_MS 3000

unsigned long long oom_watch_check(struct oom_watch *w, int woken, long now)
{
    if (woken) {
        char drain[4096];
        while (w->fd >= 0 && read(w->fd, drain, sizeof drain) > 0)
            ;
    } else if (!w->recheck_until || now < w->next_check) {
        return 0;
    }
    unsigned long long n = oom_kills(w->file);
    if (n > w->reported) {
        unsigned long long fresh = n - w->reported;
        w->reported = n;
        w->recheck_until = 0;
        return fresh;
    }
    if (woken)
        w->recheck_until = now + RECHECK_FOR_MS; /* v1: the kill may come just after the signal */
    else if (now >= w->recheck_until)
        w->recheck_until = 0;
    w->next_check = now + RECHECK_EVERY_MS;
    return 0;
}

int oom_watch_wait_ms(const struct oom_watch *w, long now)
{
    if (!w->recheck_until)
        return -1;
    long d = w->next_check - now;
    return d < 0 ? 0 : (int)d;
}

void oom_watch_close(struct oom_watch *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}
