/*
 * Frames and the request of the engine service's wire format (docs/engine-service.md).
 */
#define _GNU_SOURCE
#include "wire.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int buf_reserve(struct buf *b, size_t more)
{
    if (b->len + more <= b->cap) {
        return 0;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more) {
        cap *= 2;
    }
    unsigned char *data = realloc(b->data, cap);
    if (!data) {
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

void frame_header(unsigned char out[FRAME_HEADER], char type, uint32_t len)
{
    out[0] = (unsigned char)type;
    out[1] = (unsigned char)(len >> 24);
    out[2] = (unsigned char)(len >> 16);
    out[3] = (unsigned char)(len >> 8);
    out[4] = (unsigned char)len;
}

int buf_frame(struct buf *b, char type, const void *payload, size_t len)
{
    if (len > UINT32_MAX || buf_reserve(b, FRAME_HEADER + len) != 0) {
        return -1;
    }
    frame_header(b->data + b->len, type, (uint32_t)len);
    if (len) {
        memcpy(b->data + b->len + FRAME_HEADER, payload, len);
    }
    b->len += FRAME_HEADER + len;
    return 0;
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        /* send() with MSG_NOSIGNAL: a service that closed early is an EPIPE to handle, not a
         * SIGPIPE that kills the client (ignoring SIGPIPE instead would leak into the cold exec). */
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) {
            n = write(fd, p, len);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 1 when all len bytes were read, 0 on EOF before the first byte, -1 otherwise (EPROTO: EOF inside). */
static int read_full(int fd, void *data, size_t len)
{
    unsigned char *p = data;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (n == 0) {
            if (got == 0) {
                return 0;
            }
            errno = EPROTO;
            return -1;
        }
        got += (size_t)n;
    }
    return 1;
}

int frame_read(int fd, char *type, char **payload, uint32_t *len)
{
    unsigned char h[FRAME_HEADER];
    int r = read_full(fd, h, sizeof h);
    if (r <= 0) {
        return r;
    }
    uint32_t n = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
    if (n > FRAME_MAX_IN) {
        errno = EPROTO;
        return -1;
    }
    char *p = malloc((size_t)n + 1);
    if (!p) {
        return -1;
    }
    if (n) {
        int r2 = read_full(fd, p, n);
        if (r2 != 1) {
            int e = r2 == 0 ? EPROTO : errno; /* EOF inside a frame is a truncated frame */
            free(p);
            errno = e;
            return -1;
        }
    }
    p[n] = '\0';
    *type = (char)h[0];
    *payload = p;
    *len = n;
    return 1;
}

int send_hello(int fd)
{
    unsigned char frame[FRAME_HEADER + 1];
    frame_header(frame, 'H', 1);
    frame[FRAME_HEADER] = '1';
    int fds[3] = {0, 1, 2};
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof fds)];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = frame, .iov_len = sizeof frame};
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.bytes,
        .msg_controllen = sizeof control.bytes,
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t n;
    do {
        n = sendmsg(fd, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -1;
    }
    /* The fds travel with the first byte; should the kernel take fewer than six bytes, the rest
     * follows as plain bytes. */
    return write_all(fd, frame + n, sizeof frame - (size_t)n);
}

int encode_request(struct buf *b, const struct request *r)
{
    char tty[3];
    for (int i = 0; i < 3; i++) {
        tty[i] = r->tty[i] ? '1' : '0';
    }
    if (buf_frame(b, 'T', tty, 3) != 0) {
        return -1;
    }
    for (int i = 0; i < r->nargs; i++) {
        if (buf_frame(b, 'A', r->args[i], strlen(r->args[i])) != 0) {
            return -1;
        }
    }
    for (char **e = r->env; e && *e; e++) {
        if (buf_frame(b, 'E', *e, strlen(*e)) != 0) {
            return -1;
        }
    }
    char mask[8];
    int n = snprintf(mask, sizeof mask, "%03o", (unsigned)(r->umask & 07777));
    if (buf_frame(b, 'C', r->cwd, strlen(r->cwd)) != 0 || buf_frame(b, 'U', mask, (size_t)n) != 0
        || buf_frame(b, 'G', "", 0) != 0) {
        return -1;
    }
    return 0;
}

/* A count: digits only, within what is left of argv. */
static int parse_count(const char *s, int left, int *out)
{
    if (!s || !*s) {
        return -1;
    }
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > INT_MAX / 10) {
            return -1;
        }
        v = v * 10 + (*p - '0');
    }
    if (v > left) {
        return -1;
    }
    *out = (int)v;
    return 0;
}

int parse_client_args(int argc, char **argv, struct client_args *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int i = 1;
    while (i < argc && strcmp(argv[i], "--") != 0) {
        const char *opt = argv[i];
        if (i + 1 >= argc) {
            snprintf(err, errlen, "%s needs a value", opt);
            return -1;
        }
        if (strcmp(opt, "--socket") == 0) {
            out->socket_path = argv[i + 1];
            i += 2;
        } else if (strcmp(opt, "--log") == 0) {
            out->log_path = argv[i + 1];
            i += 2;
        } else if (strcmp(opt, "--stamp") == 0) {
            out->stamp = argv[i + 1];
            i += 2;
        } else if (strcmp(opt, "--sources") == 0 || strcmp(opt, "--rebuild") == 0) {
            int n;
            /* --sources 0: the stamp only names the build (which service may run it), no check */
            if (parse_count(argv[i + 1], argc - i - 2, &n) != 0 || (n == 0 && opt[2] != 's')) {
                snprintf(err, errlen, "%s wants a count of the arguments that follow, not \"%s\"", opt,
                         argv[i + 1]);
                return -1;
            }
            if (opt[2] == 's') {
                out->sources = argv + i + 2;
                out->nsources = n;
            } else {
                out->rebuild = argv + i + 2;
                out->nrebuild = n;
            }
            i += 2 + n;
        } else if (strcmp(opt, "--cold") == 0 || strcmp(opt, "--service") == 0) {
            int n;
            if (parse_count(argv[i + 1], argc - i - 2, &n) != 0 || n == 0) {
                snprintf(err, errlen, "%s wants a count of the arguments that follow, not \"%s\"", opt,
                         argv[i + 1]);
                return -1;
            }
            if (opt[2] == 'c') {
                out->cold = argv + i + 2;
                out->ncold = n;
            } else {
                out->service = argv + i + 2;
                out->nservice = n;
            }
            i += 2 + n;
        } else {
            snprintf(err, errlen, "unknown option \"%s\"", opt);
            return -1;
        }
    }
    if (i >= argc) {
        snprintf(err, errlen, "\"--\" must end the client's options (the user's arguments follow it)");
        return -1;
    }
    const char *missing = !out->socket_path ? "--socket"
                          : !out->log_path  ? "--log"
                          : !out->cold      ? "--cold"
                          : !out->service   ? "--service"
                                            : NULL;
    if (missing) {
        snprintf(err, errlen, "%s is missing", missing);
        return -1;
    }
    if ((out->stamp != NULL) != (out->sources != NULL) || (out->stamp != NULL) != (out->rebuild != NULL)) {
        snprintf(err, errlen, "--stamp, --sources and --rebuild go together");
        return -1;
    }
    out->user = argv + i + 1;
    out->nuser = argc - i - 1;
    return 0;
}

char **join_argv(char **head, int n, char **user, int nuser)
{
    char **v = malloc(sizeof *v * ((size_t)n + (size_t)nuser + 1));
    if (!v) {
        return NULL;
    }
    memcpy(v, head, sizeof *v * (size_t)n);
    if (nuser) {
        memcpy(v + n, user, sizeof *v * (size_t)nuser);
    }
    v[n + nuser] = NULL;
    return v;
}
