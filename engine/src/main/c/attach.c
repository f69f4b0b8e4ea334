#define _GNU_SOURCE
#include "attach.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

void attach_init(struct attach *a)
{
    a->listen_fd = -1;
    for (int i = 0; i < ATTACH_MAX; i++)
        a->clients[i] = -1;
}

int attach_listen(struct attach *a, const char *state_dir)
{
    /* A state dir path can be longer than sun_path: bind through an O_PATH fd of the dir. */
    int dfd = open(state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return errp("open %s", state_dir);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/attach", dfd);
    unlink(addr.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        close(dfd);
        return errp("attach socket");
    }
    mode_t old = umask(077);
    int rc = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (rc < 0 || listen(fd, ATTACH_MAX) < 0) {
        errp("bind the attach socket in %s", state_dir);
        close(fd);
        close(dfd);
        return -1;
    }
    close(dfd);
    a->listen_fd = fd;
    return 0;
}

int attach_poll_add(const struct attach *a, struct pollfd *p, int *np)
{
    int first = *np;
    p[(*np)++] = (struct pollfd){.fd = a->listen_fd, .events = a->listen_fd >= 0 ? POLLIN : 0};
    for (int i = 0; i < ATTACH_MAX; i++)
        p[(*np)++] = (struct pollfd){.fd = a->clients[i], .events = a->clients[i] >= 0 ? POLLIN : 0};
    return first;
}

static void drop(struct attach *a, int i)
{
    if (a->clients[i] >= 0)
        close(a->clients[i]);
    a->clients[i] = -1;
}

void attach_poll_done(struct attach *a, const struct pollfd *p, int first, int in_fd)
{
    if (a->listen_fd >= 0 && p[first].revents) {
        int c = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c >= 0) {
            int slot = -1;
            for (int i = 0; i < ATTACH_MAX && slot < 0; i++)
                if (a->clients[i] < 0)
                    slot = i;
            if (slot < 0)
                close(c); /* too many attached: this one sees its connection closed */
            else
                a->clients[slot] = c;
        }
    }
    for (int i = 0; i < ATTACH_MAX; i++) {
        if (a->clients[i] < 0 || p[first + 1 + i].fd != a->clients[i] || !p[first + 1 + i].revents)
            continue;
        char buf[4096];
        ssize_t n = read(a->clients[i], buf, sizeof buf);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0) {
            drop(a, i); /* the client detached or went away; the container runs on */
            continue;
        }
        /* Non-blocking: a command that does not read its stdin must not stall the monitor;
         * what does not fit in the pipe or pty is lost, as on a full terminal buffer. */
        if (in_fd >= 0)
            (void)write(in_fd, buf, (size_t)n);
    }
}

void attach_broadcast(struct attach *a, int stream, const char *buf, size_t n)
{
    unsigned char h[8] = {(unsigned char)stream, 0, 0, 0, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    for (int i = 0; i < ATTACH_MAX; i++) {
        if (a->clients[i] < 0)
            continue;
        struct iovec v[2] = {{h, sizeof h}, {(void *)buf, n}};
        struct msghdr m = {.msg_iov = v, .msg_iovlen = 2};
        ssize_t w = sendmsg(a->clients[i], &m, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w != (ssize_t)(sizeof h + n))
            drop(a, i); /* gone, or too slow to keep up: never block the container's output */
    }
}

void attach_close(struct attach *a, const char *state_dir)
{
    for (int i = 0; i < ATTACH_MAX; i++)
        drop(a, i);
    if (a->listen_fd >= 0) {
        close(a->listen_fd);
        a->listen_fd = -1;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/attach", state_dir) < (int)sizeof path)
            unlink(path);
    }
}
