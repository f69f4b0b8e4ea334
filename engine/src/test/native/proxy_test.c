/*
 * Tests of proxy.c, the monitor's [::1] proxy: the proxy6_file line parser, and a real copy through
 * loopback without root: a forked proxy loop listens on [::1]:PORT, a forked echo server on
 * 127.0.0.1 (an IPv4 target) reads until end-of-file and sends it all back; the client writes far
 * more than the proxy's buffers, half-closes, and must read back every byte then end-of-file.
 * Run by `make test`.
 */
#define _GNU_SOURCE
#include "../../main/c/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

#define SIZE (300 * 1024)

static int free_port6(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    close(fd);
    return ntohs(a.sin6_port);
}

static int free_udp_port6(void)
{
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    close(fd);
    return ntohs(a.sin6_port);
}

/* Send one datagram to [::1]:port from c and wait for one reply; its length or -1. */
static int ask(int c, int port, const char *what, char *reply, size_t cap)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    for (int tries = 0; tries < 50; tries++) { /* the proxy may not listen yet; a lost datagram is sent again */
        sendto(c, what, strlen(what), 0, (struct sockaddr *)&a, sizeof a);
        struct pollfd p = {.fd = c, .events = POLLIN};
        if (poll(&p, 1, 100) == 1) {
            ssize_t n = recv(c, reply, cap - 1, 0);
            if (n >= 0) {
                reply[n] = 0;
                return (int)n;
            }
        }
    }
    return -1;
}

/*
 * UDP through the proxy: an echo on 127.0.0.1 answers "MSG via PORT" (PORT: the source port it saw,
 * i.e. the flow's socket). Two clients on [::1] each get their own answer; a client's second datagram
 * uses the same flow; after the idle timeout (shortened to 300 ms here) the flow is gone and the next
 * datagram comes through a new one.
 */
static void udp_test(void)
{
    int e = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in t = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t tl = sizeof t;
    int p6 = free_udp_port6();
    if (p6 < 0 || e < 0 || bind(e, (struct sockaddr *)&t, sizeof t) < 0 || getsockname(e, (struct sockaddr *)&t, &tl) < 0) {
        printf("SKIPPED UDP test: no loopback ([::1] or 127.0.0.1) to bind\n");
        return;
    }
    char file[] = "/tmp/hutch-proxy-udp-test-XXXXXX";
    int ffd = mkstemp(file);
    dprintf(ffd, "%d 127.0.0.1 %d udp\n", p6, ntohs(t.sin_port));
    close(ffd);
    pid_t echo = fork();
    if (echo == 0) {
        for (;;) {
            char buf[256], out[320];
            struct sockaddr_in from;
            socklen_t fl = sizeof from;
            ssize_t n = recvfrom(e, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
            if (n < 0)
                _exit(1);
            buf[n] = 0;
            int m = snprintf(out, sizeof out, "%s via %d", buf, ntohs(from.sin_port));
            sendto(e, out, (size_t)m, 0, (struct sockaddr *)&from, fl);
        }
    }
    pid_t proxy = fork();
    if (proxy == 0) {
        proxy_set_udp_idle_ms(300);
        if (proxy_begin(file) != 1)
            _exit(2);
        for (;;) {
            struct pollfd p[PROXY_MAX_FDS];
            int n = proxy_fill(p, PROXY_MAX_FDS);
            int w = proxy_wait_ms();
            if (poll(p, (nfds_t)n, w >= 0 ? w : 5000) < 0)
                _exit(3);
            proxy_handle(p, n);
        }
    }
    close(e);
    int a = socket(AF_INET6, SOCK_DGRAM, 0), b = socket(AF_INET6, SOCK_DGRAM, 0);
    char ra[320], rb[320], ra2[320], ra3[320];
    int na = ask(a, p6, "from-a", ra, sizeof ra), nb = ask(b, p6, "from-b", rb, sizeof rb);
    check(na > 0 && !strncmp(ra, "from-a via ", 11), "client a gets the answer to its own datagram through [::1]");
    check(nb > 0 && !strncmp(rb, "from-b via ", 11), "client b gets the answer to its own datagram through [::1]");
    check(na > 0 && nb > 0 && strcmp(ra + 7, rb + 7), "each client has its own flow (its own source port at the target)");
    int na2 = ask(a, p6, "from-a", ra2, sizeof ra2);
    check(na2 > 0 && !strcmp(ra, ra2), "a client's next datagram goes through the same flow");
    usleep(700 * 1000);
    int na3 = ask(a, p6, "from-a", ra3, sizeof ra3);
    check(na3 > 0 && strcmp(ra, ra3), "after the idle timeout the flow was closed: a new one carries the next datagram");
    /* bounded: 40 more clients (the table holds 32) are all answered; the oldest flows made room */
    int answered = 0, more[40];
    char rm[320], first[320] = "";
    for (int i = 0; i < 40; i++) {
        more[i] = socket(AF_INET6, SOCK_DGRAM, 0);
        char what[32];
        snprintf(what, sizeof what, "more-%d", i);
        if (ask(more[i], p6, what, rm, sizeof rm) > 0 && !strncmp(rm, what, strlen(what)))
            answered++;
        if (i == 0)
            strcpy(first, rm);
    }
    check(answered == 40, "40 clients at once, more than the 32 flows: every one answered");
    char again[320];
    check(ask(more[0], p6, "more-0", again, sizeof again) > 0 && strcmp(first, again),
          "the flow idle the longest gave way: the first of them comes back through a new one");
    for (int i = 0; i < 40; i++)
        close(more[i]);
    close(a);
    close(b);
    int st;
    kill(proxy, SIGKILL);
    waitpid(proxy, &st, 0);
    kill(echo, SIGKILL);
    waitpid(echo, &st, 0);
    unlink(file);
}

int main(void)
{
    unsigned hp, port;
    int udp;
    char ip[64];
    check(proxy_parse_line("8080 fd00::2 80\n", &hp, ip, sizeof ip, &port, &udp) == 0 && hp == 8080 && port == 80
              && !strcmp(ip, "fd00::2"), "parse an IPv6 target");
    check(proxy_parse_line("1 10.0.0.2 65535", &hp, ip, sizeof ip, &port, &udp) == 0 && !strcmp(ip, "10.0.0.2"),
          "parse an IPv4 target");
    check(proxy_parse_line("0 fd00::2 80", &hp, ip, sizeof ip, &port, &udp) < 0, "refuse host port 0");
    check(proxy_parse_line("80 fd00::2 70000", &hp, ip, sizeof ip, &port, &udp) < 0, "refuse a port past 65535");
    check(proxy_parse_line("80 not-an-ip 80", &hp, ip, sizeof ip, &port, &udp) < 0, "refuse a name");
    check(proxy_parse_line("80 fd00::2", &hp, ip, sizeof ip, &port, &udp) < 0, "refuse a short line");
    check(proxy_parse_line("8080 fd00::2 80\n", &hp, ip, sizeof ip, &port, &udp) == 0 && !udp, "a line without protocol is TCP");
    check(proxy_parse_line("5353 fd00::2 53 udp\n", &hp, ip, sizeof ip, &port, &udp) == 0 && udp && port == 53, "parse a UDP line");
    check(proxy_parse_line("5353 fd00::2 53 sctp", &hp, ip, sizeof ip, &port, &udp) < 0, "refuse another protocol");
    udp_test();

    int listen4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in t = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t tl = sizeof t;
    int p6 = free_port6();
    if (p6 < 0 || listen4 < 0 || bind(listen4, (struct sockaddr *)&t, sizeof t) < 0 || listen(listen4, 4) < 0
        || getsockname(listen4, (struct sockaddr *)&t, &tl) < 0) {
        printf("SKIPPED copy test: no loopback ([::1] or 127.0.0.1) to listen on\n");
        return failed ? 1 : 0;
    }
    char file[] = "/tmp/hutch-proxy-test-XXXXXX";
    int ffd = mkstemp(file);
    dprintf(ffd, "%d 127.0.0.1 %d\n", p6, ntohs(t.sin_port));
    close(ffd);

    pid_t echo = fork();
    if (echo == 0) {
        int c = accept(listen4, NULL, NULL);
        char *buf = malloc(SIZE + 1);
        size_t got = 0;
        ssize_t n;
        while ((n = read(c, buf + got, SIZE + 1 - got)) > 0)
            got += (size_t)n;
        for (size_t off = 0; off < got; off += (size_t)n)
            if ((n = write(c, buf + off, got - off)) <= 0)
                _exit(1);
        _exit(0);
    }
    pid_t proxy = fork();
    if (proxy == 0) {
        if (proxy_begin(file) != 1)
            _exit(2);
        for (;;) {
            struct pollfd p[PROXY_MAX_FDS];
            int n = proxy_fill(p, PROXY_MAX_FDS);
            if (poll(p, (nfds_t)n, 5000) <= 0)
                _exit(3);
            proxy_handle(p, n);
        }
    }
    close(listen4);

    int c = -1;
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)p6), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    for (int i = 0; i < 100 && c < 0; i++) {
        c = socket(AF_INET6, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) {
            close(c);
            c = -1;
            usleep(20000);
        }
    }
    check(c >= 0, "the proxy listens on [::1]");
    char *out = malloc(SIZE), *in = malloc(SIZE + 1);
    for (int i = 0; i < SIZE; i++)
        out[i] = (char)(i * 7 + i / 1000);
    int ok = c >= 0;
    for (size_t off = 0; ok && off < SIZE;) {
        ssize_t n = write(c, out + off, SIZE - off);
        ok = n > 0;
        off += ok ? (size_t)n : 0;
    }
    shutdown(c, SHUT_WR);
    size_t got = 0;
    ssize_t n;
    while (ok && (n = read(c, in + got, SIZE + 1 - got)) > 0)
        got += (size_t)n;
    check(ok && got == SIZE && !memcmp(in, out, SIZE), "every byte copied both ways, in order, through a half-close");
    close(c);
    int st;
    waitpid(echo, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the target saw end-of-file after the data");
    kill(proxy, SIGKILL);
    waitpid(proxy, &st, 0);
    unlink(file);
    printf("proxy_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
