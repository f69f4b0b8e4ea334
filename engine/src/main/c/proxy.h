/*
 * The monitor's loopback proxy for published ports on [::1] (Linux has no route_localnet for
 * IPv6, so a connection from ::1 cannot be DNAT'd into a container; docker answers through its
 * userland proxy). The monitor runs in the host's network namespace: it listens on [::1]:HOSTPORT
 * for each line "HOSTPORT TARGETIP PORT [tcp|udp]" of the engine's proxy6_file and copies each accepted
 * connection to TARGETIP:PORT in its own poll loop: non-blocking sockets, one bounded buffer per
 * direction, half-close passed on with shutdown(SHUT_WR), no threads. UDP (docker's userland proxy
 * does it the same way): a flow per client (address and port), each with its own socket connected
 * to the target so the replies go back to that client; a flow idle for PROXY_UDP_IDLE_MS is closed,
 * and a full table (32 flows) gives way to the flow idle the longest. See docs/helper-protocol.md.
 */
#ifndef HUTCH_PROXY_H
#define HUTCH_PROXY_H

#include <poll.h>

/* Most pollfds proxy_fill adds. */
#define PROXY_MAX_FDS 128
/* A UDP flow with no datagram either way for this long is closed (docker's proxy: 90 s). */
#define PROXY_UDP_IDLE_MS 90000

/* After "go": listen on [::1] for each line of the file; a port that cannot be bound is reported
 * on stderr and skipped (the container runs without it). Returns the number of listeners. */
int proxy_begin(const char *file);
/* Add the pollfds the proxy waits on to p (at most max); returns how many. */
int proxy_fill(struct pollfd *p, int max);
/* Handle the results of poll for the n pollfds proxy_fill added. */
void proxy_handle(const struct pollfd *p, int n);
/* The container ended: close the listeners and every connection and flow. */
void proxy_end(void);
/* Milliseconds until the next UDP flow goes idle (a poll timeout), or -1 with no flow. */
int proxy_wait_ms(void);
/* Open UDP flows (for tests). */
int proxy_udp_flows(void);
/* The UDP idle timeout (for tests). */
void proxy_set_udp_idle_ms(long ms);
/* Parse one line "HOSTPORT TARGETIP PORT [tcp|udp]" (tcp when left out); 0 or -1 (for tests). */
int proxy_parse_line(const char *line, unsigned *host_port, char *ip, unsigned ip_len, unsigned *port, int *udp);

#endif
