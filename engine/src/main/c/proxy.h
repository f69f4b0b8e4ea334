/*
 * The monitor's loopback proxy for published ports on [::1] (Linux has no route_localnet for
 * IPv6, so a connection from ::1 cannot be DNAT'd into a container; docker answers through its
 * userland proxy). The monitor runs in the host's network namespace: it listens on [::1]:HOSTPORT
 * for each line "HOSTPORT TARGETIP PORT" of the engine's proxy6_file and copies each accepted
 * connection to TARGETIP:PORT in its own poll loop: non-blocking sockets, one bounded buffer per
 * direction, half-close passed on with shutdown(SHUT_WR), no threads. See docs/helper-protocol.md.
 */
#ifndef HUTCH_PROXY_H
#define HUTCH_PROXY_H

#include <poll.h>

/* Most pollfds proxy_fill adds. */
#define PROXY_MAX_FDS 96

/* After "go": listen on [::1] for each line of the file; a port that cannot be bound is reported
 * on stderr and skipped (the container runs without it). Returns the number of listeners. */
int proxy_begin(const char *file);
/* Add the pollfds the proxy waits on to p (at most max); returns how many. */
int proxy_fill(struct pollfd *p, int max);
/* Handle the results of poll for the n pollfds proxy_fill added. */
void proxy_handle(const struct pollfd *p, int n);
/* The container ended: close the listeners and every connection. */
void proxy_end(void);
/* Parse one line "HOSTPORT TARGETIP PORT"; 0 or -1 (for tests). */
int proxy_parse_line(const char *line, unsigned *host_port, char *ip, unsigned ip_len, unsigned *port);

#endif
