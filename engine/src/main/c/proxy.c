#define _GNU_SOURCE
#include "proxy.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LISTEN 16
#define MAX_CONN 40 /* 2 fds each: with the listeners, within PROXY_MAX_FDS */
#define BUF_SIZE 16384

struct half { /* one direction: read from one socket, written to the other */
    char data[BUF_SIZE];
    size_t off, len;
    int eof;  /* the reader saw end-of-file */
    int shut; /* shutdown(SHUT_WR) done on the writer */
};

struct conn {
    int cfd, tfd, connecting;
    struct half up, down; /* up: client -> container; down: container -> client */
};

struct listener {
    int fd;
    struct sockaddr_storage target;
    socklen_t target_len;
};

static struct listener L[MAX_LISTEN];
static int nlisten;
static struct conn *C[MAX_CONN];

/* What each pollfd of the last proxy_fill was. */
enum { S_LISTEN, S_CLIENT, S_TARGET };
static struct {
    int kind, index;
} slots[PROXY_MAX_FDS];

int proxy_parse_line(const char *line, unsigned *host_port, char *ip, unsigned ip_len, unsigned *port)
{
    char buf[128];
    unsigned hp, p;
    if (strlen(line) >= sizeof buf || sscanf(line, "%u %127s %u", &hp, buf, &p) != 3)
        return -1;
    if (!hp || hp > 65535 || !p || p > 65535 || strlen(buf) >= ip_len)
        return -1;
    unsigned char any[16];
    if (inet_pton(AF_INET6, buf, any) != 1 && inet_pton(AF_INET, buf, any) != 1)
        return -1;
    *host_port = hp;
    *port = p;
    strcpy(ip, buf);
    return 0;
}

static int add_listener(unsigned hp, const char *ip, unsigned port)
{
    struct listener *l = &L[nlisten];
    memset(&l->target, 0, sizeof l->target);
    struct sockaddr_in6 *t6 = (struct sockaddr_in6 *)&l->target;
    struct sockaddr_in *t4 = (struct sockaddr_in *)&l->target;
    if (inet_pton(AF_INET6, ip, &t6->sin6_addr) == 1) {
        t6->sin6_family = AF_INET6;
        t6->sin6_port = htons((unsigned short)port);
        l->target_len = sizeof *t6;
    } else {
        memset(&l->target, 0, sizeof l->target);
        inet_pton(AF_INET, ip, &t4->sin_addr);
        t4->sin_family = AF_INET;
        t4->sin_port = htons((unsigned short)port);
        l->target_len = sizeof *t4;
    }
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errp("proxy: socket");
    int one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in6 lo = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)hp), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    if (bind(fd, (struct sockaddr *)&lo, sizeof lo) < 0 || listen(fd, 128) < 0) {
        errp("proxy: cannot listen on [::1]:%u", hp);
        close(fd);
        return -1;
    }
    l->fd = fd;
    nlisten++;
    return 0;
}

int proxy_begin(const char *file)
{
    FILE *f = fopen(file, "re");
    if (!f) {
        errp("proxy: %s", file);
        msg("%s", hutch_err);
        return 0;
    }
    char line[256];
    while (fgets(line, sizeof line, f) && nlisten < MAX_LISTEN) {
        unsigned hp, port;
        char ip[64];
        if (line[0] == '\n')
            continue;
        if (proxy_parse_line(line, &hp, ip, sizeof ip, &port) < 0) {
            msg("proxy: bad line in %s: %s", file, line);
            continue;
        }
        if (add_listener(hp, ip, port) < 0)
            msg("%s (the port still answers on the other addresses)", hutch_err);
    }
    fclose(f);
    return nlisten;
}

static void conn_close(int i)
{
    close(C[i]->cfd);
    close(C[i]->tfd);
    free(C[i]);
    C[i] = NULL;
}

static void accept_one(struct listener *l)
{
    int slot = -1;
    for (int i = 0; i < MAX_CONN && slot < 0; i++)
        if (!C[i])
            slot = i;
    if (slot < 0)
        return; /* not polled when full; a racing accept waits in the backlog */
    int cfd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0)
        return;
    int tfd = socket(l->target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (tfd < 0) {
        close(cfd);
        return;
    }
    int r = connect(tfd, (struct sockaddr *)&l->target, l->target_len);
    if (r < 0 && errno != EINPROGRESS) {
        close(tfd);
        close(cfd); /* the client sees the connection closed, as with a refused target */
        return;
    }
    struct conn *c = calloc(1, sizeof *c);
    if (!c) {
        close(tfd);
        close(cfd);
        return;
    }
    c->cfd = cfd;
    c->tfd = tfd;
    c->connecting = r < 0;
    C[slot] = c;
}

/* Read into h from fd when it is empty; -1: the connection is broken. */
static int pump_in(int fd, struct half *h)
{
    if (h->eof || h->len)
        return 0;
    ssize_t n = read(fd, h->data, sizeof h->data);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    if (n == 0)
        h->eof = 1;
    h->off = 0;
    h->len = (size_t)n;
    return 0;
}

/* Write what h holds to fd; pass on end-of-file once it is all written. -1: broken. */
static int pump_out(int fd, struct half *h)
{
    while (h->len) {
        ssize_t n = send(fd, h->data + h->off, h->len, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        h->off += (size_t)n;
        h->len -= (size_t)n;
    }
    if (h->eof && !h->shut) {
        shutdown(fd, SHUT_WR);
        h->shut = 1;
    }
    return 0;
}

int proxy_fill(struct pollfd *p, int max)
{
    int n = 0, nconn = 0;
    for (int i = 0; i < MAX_CONN; i++)
        nconn += C[i] != NULL;
    for (int i = 0; i < nlisten && nconn < MAX_CONN && n < max; i++) {
        slots[n].kind = S_LISTEN;
        slots[n].index = i;
        p[n++] = (struct pollfd){.fd = L[i].fd, .events = POLLIN};
    }
    for (int i = 0; i < MAX_CONN && n + 2 <= max; i++) {
        struct conn *c = C[i];
        if (!c)
            continue;
        short ce = 0, te = 0;
        if (c->connecting) {
            te = POLLOUT;
        } else {
            if (!c->up.eof && !c->up.len)
                ce |= POLLIN;
            if (c->down.len)
                ce |= POLLOUT;
            if (!c->down.eof && !c->down.len)
                te |= POLLIN;
            if (c->up.len)
                te |= POLLOUT;
        }
        slots[n].kind = S_CLIENT;
        slots[n].index = i;
        p[n++] = (struct pollfd){.fd = c->cfd, .events = ce};
        slots[n].kind = S_TARGET;
        slots[n].index = i;
        p[n++] = (struct pollfd){.fd = c->tfd, .events = te};
    }
    return n;
}

static void step(int i, int fd_is_client, short rev)
{
    struct conn *c = C[i];
    if (!c)
        return;
    if (rev & POLLERR) {
        conn_close(i);
        return;
    }
    if (!fd_is_client && c->connecting) {
        int e = 0;
        socklen_t len = sizeof e;
        if (getsockopt(c->tfd, SOL_SOCKET, SO_ERROR, &e, &len) < 0 || e) {
            conn_close(i);
            return;
        }
        c->connecting = 0;
        return;
    }
    if (c->connecting)
        return;
    int in = fd_is_client ? c->cfd : c->tfd, out = fd_is_client ? c->tfd : c->cfd;
    struct half *from = fd_is_client ? &c->up : &c->down; /* read from this fd */
    struct half *to = fd_is_client ? &c->down : &c->up;   /* written to this fd */
    int readable = !from->eof && !from->len;
    if ((rev & POLLHUP) && !readable && !to->len && !(rev & POLLIN)) {
        conn_close(i); /* the peer is gone both ways and nothing is left to say to it */
        return;
    }
    if ((rev & (POLLIN | POLLHUP)) && (pump_in(in, from) < 0 || pump_out(out, from) < 0)) {
        conn_close(i);
        return;
    }
    if ((rev & POLLOUT) && pump_out(in, to) < 0) {
        conn_close(i);
        return;
    }
    if (c->up.shut && c->down.shut && !c->up.len && !c->down.len)
        conn_close(i);
}

void proxy_handle(const struct pollfd *p, int n)
{
    for (int k = 0; k < n; k++) {
        if (!p[k].revents)
            continue;
        int i = slots[k].index;
        if (slots[k].kind == S_LISTEN)
            accept_one(&L[i]);
        else if (C[i] && p[k].fd == (slots[k].kind == S_CLIENT ? C[i]->cfd : C[i]->tfd))
            step(i, slots[k].kind == S_CLIENT, p[k].revents);
    }
}

void proxy_end(void)
{
    for (int i = 0; i < nlisten; i++)
        close(L[i].fd);
    nlisten = 0;
    for (int i = 0; i < MAX_CONN; i++)
        if (C[i])
            conn_close(i);
}
