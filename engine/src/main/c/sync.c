#define _GNU_SOURCE
#include "sync.h"

#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The engine that started us is our parent; once it is gone we are reparented, so getppid()
 * tells, with no pid-reuse race. */
static int engine_gone(pid_t engine)
{
    return engine > 0 && getppid() != engine;
}

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Two FIFOs rather than a unix socket: the engine's JVM pays tens of milliseconds for its first
 * unix socket (class loading and SecureRandom set-up), and nothing for a FIFO. They live in the
 * container's state dir, which only root can enter. The order matters: "in" is made before
 * "out", because the engine starts when "out" appears. Neither open may block forever: "out" is
 * opened non-blocking and retried (ENXIO until the engine opens its reading end), checking that
 * the engine still lives and the deadline has not passed; "in" is opened non-blocking, which
 * never waits for a writer, and sync_await_line waits for the engine's line the same way. */
int sync_open(const char *prefix, pid_t engine, int timeout_ms, int *from_engine, int *to_engine)
{
    char in[4096], out[4096];
    if ((size_t)snprintf(in, sizeof in, "%s.in", prefix) >= sizeof in ||
        (size_t)snprintf(out, sizeof out, "%s.out", prefix) >= sizeof out)
        return err("sync path too long: %s", prefix);
    if (mkfifo(in, 0600) < 0 && errno != EEXIST)
        return errp("mkfifo %s", in);
    if (mkfifo(out, 0600) < 0 && errno != EEXIST)
        return errp("mkfifo %s", out);
    long deadline = mono_ms() + timeout_ms;
    int w;
    for (;;) {
        w = open(out, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (w >= 0)
            break;
        if (errno != ENXIO && errno != EINTR)
            return errp("open %s", out);
        if (engine_gone(engine))
            return err("the engine (pid %d) went away before it connected", (int)engine);
        if (mono_ms() > deadline)
            return err("the engine did not connect within %d s", timeout_ms / 1000);
        usleep(100); /* the engine opens its end within ~100 us of seeing "out": a 1 ms sleep cost every start */
    }
    fcntl(w, F_SETFL, fcntl(w, F_GETFL) & ~O_NONBLOCK);
    int r = open(in, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (r < 0) {
        errp("open %s", in);
        close(w);
        return -1;
    }
    *from_engine = r;
    *to_engine = w;
    return 0;
}

int sync_await_line(int fd, char *buf, size_t size, pid_t engine, int timeout_ms)
{
    long deadline = mono_ms() + timeout_ms;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, 100);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0)
            break; /* data, or the engine closed its end (read sees EOF) */
        if (engine_gone(engine) || mono_ms() > deadline)
            return 0; /* as if the engine had closed: the caller aborts */
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return sync_read_line(fd, buf, size);
}

int sync_send_line(int fd, const char *fmt, ...)
{
    char buf[HUTCH_ERR_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n > sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    const char *p = buf;
    size_t len = (size_t)n;
    while (len) {
        ssize_t w = write(fd, p, len); /* SIGPIPE is ignored in the monitor: EPIPE, not death */
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int sync_read_line(int fd, char *buf, size_t size)
{
    /* Byte by byte: the engine sends one short line, and nothing after it may be consumed. */
    size_t len = 0;
    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            return len ? (int)len : 0;
        if (c == '\n')
            break;
        if (len + 1 < size)
            buf[len++] = c;
    }
    buf[len] = 0;
    if (len && buf[len - 1] == '\r')
        buf[--len] = 0;
    return len ? (int)len : -2; /* an empty line is a protocol error, not EOF */
}

int chan_send(int fd, char type, const char *text, int passfd)
{
    char buf[HUTCH_ERR_MAX + 16];
    size_t tl = text ? strlen(text) : 0;
    if (tl > sizeof buf - 2)
        tl = sizeof buf - 2;
    buf[0] = type;
    if (tl)
        memcpy(buf + 1, text, tl);
    struct iovec iov = {.iov_base = buf, .iov_len = 1 + tl};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (passfd >= 0) {
        memset(&cm, 0, sizeof cm);
        mh.msg_control = cm.buf;
        mh.msg_controllen = sizeof cm.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &passfd, sizeof(int));
    }
    for (;;) {
        if (sendmsg(fd, &mh, MSG_NOSIGNAL) >= 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

int chan_recv(int fd, char *type, char *buf, size_t size, int *passfd)
{
    char data[HUTCH_ERR_MAX + 16];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = cm.buf;
    mh.msg_controllen = sizeof cm.buf;
    if (passfd)
        *passfd = -1;
    ssize_t n;
    do
        n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return (int)n;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int got;
            memcpy(&got, CMSG_DATA(c), sizeof got);
            if (passfd && *passfd < 0)
                *passfd = got;
            else
                close(got);
        }
    }
    *type = data[0];
    size_t tl = (size_t)n - 1;
    if (tl >= size)
        tl = size - 1;
    memcpy(buf, data + 1, tl);
    buf[tl] = 0;
    return (int)n;
}
