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
#include <time.h>
#include <unistd.h>

#define MAX_LISTEN 16
#define MAX_CONN 40 /* 2 fds each: with the listeners, within PROXY_MAX_FDS */
#define BUF_SIZE 16384
#define MAX_FLOWS 32 /* UDP: one fd each, within PROXY_MAX_FDS too */
#define UDP_BUF 65536

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
    int fd, udp;
    struct sockaddr_storage target;
    socklen_t target_len;
};

/* One UDP client of a [::1] listener: its own socket connected to the target, so the container's
 * replies on it go back to this client and no other (docker's userland proxy keeps the same table). */
struct flow {
    int open, fd, listener; /* zero-initialised: a free slot */
    struct sockaddr_in6 client;
    long last_ms; /* the last datagram either way; idle past the timeout, the flow is closed */
};

static struct listener L[MAX_LISTEN];
static int nlisten;
static struct conn *C[MAX_CONN];
static struct flow F[MAX_FLOWS];
static long udp_idle_ms = PROXY_UDP_IDLE_MS;
static char udp_buf[UDP_BUF];

/* What each pollfd of the last proxy_fill was. */
enum { S_LISTEN, S_CLIENT, S_TARGET, S_FLOW };
static struct {
    int kind, index;
} slots[PROXY_MAX_FDS];

static long mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

void proxy_set_udp_idle_ms(long ms) { udp_idle_ms = ms; }

int proxy_parse_line(const char *line, unsigned *host_port, char *ip, unsigned ip_len, unsigned *port, int *udp)
{
    char buf[128], proto[8] = "tcp";
    unsigned hp, p;
    int fields;
    if (strlen(line) >= sizeof buf || (fields = sscanf(line, "%u %127s %u %7s", &hp, buf, &p, proto)) < 3)
        return -1;
    if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
        return -1;
    *udp = !strcmp(proto, "udp");
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

static int add_listener(unsigned hp, const char *ip, unsigned port, int udp)
{
    struct listener *l = &L[nlisten];
    l->udp = udp;
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
    int fd = socket(AF_INET6, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errp("proxy: socket");
    int one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (!udp)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in6 lo = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)hp), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    if (bind(fd, (struct sockaddr *)&lo, sizeof lo) < 0 || (!udp && listen(fd, 128) < 0)) {
        errp("proxy: cannot listen on [::1]:%u/%s", hp, udp ? "udp" : "tcp");
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
        int udp;
        char ip[64];
        if (line[0] == '\n')
            continue;
        if (proxy_parse_line(line, &hp, ip, sizeof ip, &port, &udp) < 0) {
            msg("proxy: bad line in %s: %s", file, line);
            continue;
        }
        if (add_listener(hp, ip, port, udp) < 0)
            msg("%s (the port still answers on the other addresses)", hutch_err);
    }
    fclose(f);
    return nlisten;
}

/* ------------------------------------------------------------------ UDP flows */

static void flow_close(int i)
{
    close(F[i].fd);
    F[i].open = 0;
}

static int same_client(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
    return a->sin6_port == b->sin6_port && !memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr);
}

/* The flow of this client on listener li, made if new: when the table is full the flow idle the
 * longest makes room (a bounded table, as a client that sends from ever new ports must not exhaust
 * the monitor's descriptors). -1 if no socket could be made. */
static int flow_for(int li, const struct sockaddr_in6 *client, long now)
{
    int free_slot = -1, oldest = -1;
    for (int i = 0; i < MAX_FLOWS; i++) {
        if (!F[i].open) {
            if (free_slot < 0)
                free_slot = i;
            continue;
        }
        if (F[i].listener == li && same_client(&F[i].client, client))
            return i;
        if (oldest < 0 || F[i].last_ms < F[oldest].last_ms)
            oldest = i;
    }
    if (free_slot < 0) {
        flow_close(oldest);
        free_slot = oldest;
    }
    struct listener *l = &L[li];
    int fd = socket(l->target.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* connected: the kernel passes up only the target's datagrams on this socket */
    if (connect(fd, (struct sockaddr *)&l->target, l->target_len) < 0) {
        close(fd);
        return -1;
    }
    F[free_slot] = (struct flow){.open = 1, .fd = fd, .listener = li, .client = *client, .last_ms = now};
    return free_slot;
}

/* Datagrams from [::1] clients: each to the container through the client's own flow. */
static void udp_from_clients(int li)
{
    long now = mono_ms();
    for (int k = 0; k < 16; k++) { /* a few per wake-up, so one busy port cannot starve the loop */
        struct sockaddr_in6 client;
        socklen_t len = sizeof client;
        ssize_t n = recvfrom(L[li].fd, udp_buf, sizeof udp_buf, 0, (struct sockaddr *)&client, &len);
        if (n < 0)
            return;
        int i = flow_for(li, &client, now);
        if (i < 0)
            continue; /* dropped, as the network may drop any datagram */
        F[i].last_ms = now;
        send(F[i].fd, udp_buf, (size_t)n, MSG_NOSIGNAL);
    }
}

/* Replies from the container: back to the flow's client, from the [::1] port it wrote to. */
static void udp_from_target(int i)
{
    long now = mono_ms();
    for (int k = 0; k < 16 && F[i].open; k++) {
        ssize_t n = recv(F[i].fd, udp_buf, sizeof udp_buf, 0);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                flow_close(i); /* e.g. ECONNREFUSED: nothing listens in the container */
            return;
        }
        F[i].last_ms = now;
        sendto(L[F[i].listener].fd, udp_buf, (size_t)n, 0, (struct sockaddr *)&F[i].client, sizeof F[i].client);
    }
}

static void flows_expire(long now)
{
    for (int i = 0; i < MAX_FLOWS; i++)
        if (F[i].open && now - F[i].last_ms >= udp_idle_ms)
            flow_close(i);
}

int proxy_wait_ms(void)
{
    long now = mono_ms(), next = -1;
    for (int i = 0; i < MAX_FLOWS; i++) {
        if (!F[i].open)
            continue;
        long left = F[i].last_ms + udp_idle_ms - now;
        if (left < 0)
            left = 0;
        if (next < 0 || left < next)
            next = left;
    }
    return (int)next;
}

int proxy_udp_flows(void)
{
    int n = 0;
    for (int i = 0; i < MAX_FLOWS; i++)
        n += F[i].open;
    return n;
}

/* ------------------------------------------------------------------ TCP connections */

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
    flows_expire(mono_ms());
    for (int i = 0; i < MAX_CONN; i++)
        nconn += C[i] != NULL;
    for (int i = 0; i < nlisten && n < max; i++) {
        if (!L[i].udp && nconn >= MAX_CONN)
            continue; /* a TCP listener is not polled while the table is full */
        slots[n].kind = S_LISTEN;
        slots[n].index = i;
        p[n++] = (struct pollfd){.fd = L[i].fd, .events = POLLIN};
    }
    for (int i = 0; i < MAX_FLOWS && n < max; i++) {
        if (!F[i].open)
            continue;
        slots[n].kind = S_FLOW;
        slots[n].index = i;
        p[n++] = (struct pollfd){.fd = F[i].fd, .events = POLLIN};
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
        if (slots[k].kind == S_LISTEN && L[i].udp)
            udp_from_clients(i);
        else if (slots[k].kind == S_LISTEN)
            accept_one(&L[i]);
        else if (slots[k].kind == S_FLOW) {
            if (F[i].open && F[i].fd == p[k].fd)
                udp_from_target(i);
        }
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
    for (int i = 0; i < MAX_FLOWS; i++)
        if (F[i].open)
            flow_close(i);
}
