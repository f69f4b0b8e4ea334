#define _GNU_SOURCE
#include "health.h"

#include "event.h"
#include "exec.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* docker's defaults and limits: 30 s interval and timeout, 3 retries, 4 KiB of output, 5 results. */
#define DEFAULT_INTERVAL_MS 30000ULL
#define DEFAULT_TIMEOUT_MS 30000ULL
#define DEFAULT_RETRIES 3
#define MAX_OUTPUT 4096
#define KEEP 5

struct result {
    char start[40], end[40];
    int exit_code;
    size_t len;
    char output[MAX_OUTPUT];
};

static struct {
    const struct launch *l;
    int on, devnull;
    unsigned long long interval, timeout, start_period, retries;
    long begun_ms, due_ms;
    /* the check running now */
    pid_t pid;
    int fd, reaped, status, timed_out;
    long started_ms;
    struct result cur;
    /* what is recorded */
    const char *status_word;
    unsigned streak;
    struct result log[KEEP];
    int nlog;
} H = {.fd = -1};

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void write_record(void)
{
    char tmp[PATH_MAX], dst[PATH_MAX], num[64];
    if (snprintf(tmp, sizeof tmp, "%s/health.tmp", H.l->state_dir) >= (int)sizeof tmp ||
        snprintf(dst, sizeof dst, "%s/health", H.l->state_dir) >= (int)sizeof dst)
        return;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    struct jwriter w;
    jw_init(&w, fd);
    jw_raw(&w, "{\"Status\":\"", 11);
    jw_raw(&w, H.status_word, strlen(H.status_word));
    int n = snprintf(num, sizeof num, "\",\"FailingStreak\":%u,\"Log\":[", H.streak);
    jw_raw(&w, num, (size_t)n);
    for (int i = 0; i < H.nlog; i++) {
        const struct result *r = &H.log[i];
        jw_raw(&w, i ? ",{\"Start\":\"" : "{\"Start\":\"", i ? 11 : 10);
        jw_raw(&w, r->start, strlen(r->start));
        jw_raw(&w, "\",\"End\":\"", 9);
        jw_raw(&w, r->end, strlen(r->end));
        n = snprintf(num, sizeof num, "\",\"ExitCode\":%d,\"Output\":\"", r->exit_code);
        jw_raw(&w, num, (size_t)n);
        jw_escaped(&w, r->output, r->len);
        jw_raw(&w, "\"}", 2);
    }
    jw_raw(&w, "]}\n", 3);
    /* No fsync: the record only matters while the container runs, and a crash ends it. */
    int bad = jw_flush(&w) < 0;
    close(fd);
    if (bad || rename(tmp, dst) < 0)
        unlink(tmp);
}

void health_begin(const struct launch *l, int devnull)
{
    if (!l->health_exec)
        return;
    H.l = l;
    H.on = 1;
    H.devnull = devnull;
    H.interval = l->health_interval_ms ? l->health_interval_ms : DEFAULT_INTERVAL_MS;
    H.timeout = l->health_timeout_ms ? l->health_timeout_ms : DEFAULT_TIMEOUT_MS;
    H.start_period = l->health_start_ms;
    H.retries = l->health_retries ? l->health_retries : DEFAULT_RETRIES;
    H.begun_ms = mono_ms();
    H.due_ms = H.begun_ms + (long)H.interval;
    H.status_word = "starting";
    write_record();
}

int health_fd(void) { return H.fd; }

int health_wait_ms(void)
{
    if (!H.on)
        return -1;
    long now = mono_ms(), at;
    if (H.pid > 0)
        at = H.reaped ? now : H.started_ms + (long)H.timeout;
    else
        at = H.due_ms;
    long d = at - now;
    return d < 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

void health_read(void)
{
    char buf[1024];
    ssize_t n = read(H.fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        close(H.fd);
        H.fd = -1;
        return;
    }
    size_t room = MAX_OUTPUT - H.cur.len, take = (size_t)n < room ? (size_t)n : room;
    memcpy(H.cur.output + H.cur.len, buf, take);
    H.cur.len += take;
}

int health_reap(void)
{
    if (H.pid <= 0 || H.reaped)
        return 0;
    pid_t r = waitpid(H.pid, &H.status, WNOHANG);
    if (r != H.pid)
        return 0;
    H.reaped = 1;
    return 1;
}

/* The check's child: the helper's exec path, as `hutch-helper exec EXEC_FILE` runs it. */
static void __attribute__((noreturn)) run_check(int out)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    dup2(H.devnull, 0);
    dup2(out, 1);
    dup2(out, 2);
    /* Nothing of the monitor may reach the container (its log, its sockets, the sync FIFO). */
    CLOSE_ALL_ABOVE(3);
    static struct launch e;
    if (launch_parse(H.l->health_exec, 1, &e) < 0) {
        msg("%s", hutch_err);
        _exit(125);
    }
    exec_main(&e);
}

static void start_check(void)
{
    int p[2];
    memset(&H.cur, 0, sizeof H.cur);
    rfc3339_now(H.cur.start);
    if (pipe2(p, O_CLOEXEC) < 0) {
        H.due_ms = mono_ms() + (long)H.interval;
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        run_check(p[1]);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        H.due_ms = mono_ms() + (long)H.interval;
        return;
    }
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    H.pid = pid;
    H.fd = p[0];
    H.reaped = H.timed_out = 0;
    H.started_ms = mono_ms();
}

/* docker's rules: success is healthy at once; a failure counts towards the retries except
 * while the container is still starting within its start period. */
static void record(void)
{
    rfc3339_now(H.cur.end);
    int code;
    if (H.timed_out) {
        code = -1;
        H.cur.len = (size_t)snprintf(H.cur.output, sizeof H.cur.output, "Health check exceeded timeout (%llums)", H.timeout);
    } else if (WIFEXITED(H.status)) {
        code = WEXITSTATUS(H.status);
    } else {
        code = 128 + WTERMSIG(H.status);
    }
    H.cur.exit_code = code;
    const char *was = H.status_word;
    if (code == 0) {
        H.status_word = "healthy";
        H.streak = 0;
    } else {
        int starting = !strcmp(H.status_word, "starting");
        int in_start_period = mono_ms() - H.begun_ms < (long)H.start_period;
        if (!(starting && in_start_period)) {
            H.streak++;
            if (H.streak >= H.retries)
                H.status_word = "unhealthy";
        }
    }
    if (H.nlog == KEEP) {
        memmove(&H.log[0], &H.log[1], sizeof H.log[0] * (KEEP - 1));
        H.nlog--;
    }
    H.log[H.nlog++] = H.cur;
    write_record();
    /* docker's "health_status: healthy|unhealthy", on a change only, after the record inspect reads. */
    if (strcmp(was, H.status_word) != 0) {
        char action[48];
        snprintf(action, sizeof action, "health_status: %s", H.status_word);
        event_append(H.l, action, -1, NULL);
    }
}

void health_tick(void)
{
    if (!H.on)
        return;
    long now = mono_ms();
    if (H.pid > 0) {
        if (!H.reaped && now - H.started_ms >= (long)H.timeout) {
            /* The helper goes; a command it started may live on in the container, where init reaps it. */
            kill(H.pid, SIGKILL);
            while (waitpid(H.pid, &H.status, 0) < 0 && errno == EINTR)
                ;
            H.reaped = H.timed_out = 1;
        }
        if (!H.reaped)
            return;
        /* The exit status is in; what is left in the pipe is read now (a process that kept it
         * open in the container would otherwise hold the result back). */
        if (H.fd >= 0) {
            for (int i = 0; i < 8 && H.fd >= 0; i++)
                health_read();
            if (H.fd >= 0) {
                close(H.fd);
                H.fd = -1;
            }
        }
        record();
        H.pid = 0;
        H.due_ms = mono_ms() + (long)H.interval;
        return;
    }
    if (now >= H.due_ms)
        start_check();
}

void health_end(void)
{
    if (H.pid > 0 && !H.reaped) {
        kill(H.pid, SIGKILL);
        while (waitpid(H.pid, &H.status, 0) < 0 && errno == EINTR)
            ;
    }
    if (H.fd >= 0)
        close(H.fd);
    H.fd = -1;
    H.pid = 0;
    H.on = 0;
}
