/*
 * A UDP echo for tests, built with gcc -static and bind-mounted into a busybox container (whose nc
 * has no UDP): listens on [::]:PORT (both families), answers every datagram to its sender with
 * "echo " and the datagram, so each client can tell its own answer from another's.
 * Usage: udp-echo PORT
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    int fd = socket(AF_INET6, SOCK_DGRAM, 0), zero = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)atoi(argv[1])), .sin6_addr = IN6ADDR_ANY_INIT};
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("udp-echo: bind");
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    for (;;) {
        char in[2048], out[2100];
        struct sockaddr_in6 from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(fd, in, sizeof in - 1, 0, (struct sockaddr *)&from, &len);
        if (n < 0)
            continue;
        in[n] = 0;
        int m = snprintf(out, sizeof out, "echo %s", in);
        sendto(fd, out, (size_t)m, 0, (struct sockaddr *)&from, len);
    }
}
