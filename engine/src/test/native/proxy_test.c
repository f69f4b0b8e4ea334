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

int main(void)
{
    unsigned hp, port;
    char ip[64];
    check(proxy_parse_line("8080 fd00::2 80\n", &hp, ip, sizeof ip, &port) == 0 && hp == 8080 && port == 80
              && !strcmp(ip, "fd00::2"), "parse an IPv6 target");
    check(proxy_parse_line("1 10.0.0.2 65535", &hp, ip, sizeof ip, &port) == 0 && !strcmp(ip, "10.0.0.2"),
          "parse an IPv4 target");
    check(proxy_parse_line("0 fd00::2 80", &hp, ip, sizeof ip, &port) < 0, "refuse host port 0");
    check(proxy_parse_line("80 fd00::2 70000", &hp, ip, sizeof ip, &port) < 0, "refuse a port past 65535");
    check(proxy_parse_line("80 not-an-ip 80", &hp, ip, sizeof ip, &port) < 0, "refuse a name");
    check(proxy_parse_line("80 fd00::2", &hp, ip, sizeof ip, &port) < 0, "refuse a short line");

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
