/*
 * Two channels:
 *  - the engine's two FIFOs PREFIX.in and PREFIX.out (lines of text: "pid N", "go"/"abort", "started"/"error C M"),
 *    docs/helper-protocol.md "Sync";
 *  - a SOCK_SEQPACKET socketpair between monitor and init, made before clone. Seqpacket keeps
 *    message boundaries, so each message is one send/recv:
 *      monitor -> init   'G'              go: the engine wired the container
 *      init -> monitor   'T' + fd         the pty master (SCM_RIGHTS)
 *      monitor -> init   'A'              the pty has its window size; init may start the command
 *      init -> monitor   'S'              the command was exec'd
 *      init -> monitor   'E' CODE ' ' MSG setup or exec failed; init exits with CODE
 *      init -> monitor   'C'              OCI (start_fifo): set up, waiting for `oci start`; the
 *                                         monitor reports "started" to the engine and exits
 */
#ifndef HUTCH_SYNC_H
#define HUTCH_SYNC_H

#include <stddef.h>
#include <sys/types.h>

#define CHAN_GO 'G'
#define CHAN_TTY 'T'
#define CHAN_ACK 'A'
#define CHAN_STARTED 'S'
#define CHAN_ERROR 'E'
#define CHAN_CREATED 'C'

/* Make and open the engine's FIFOs PREFIX.in (we read) and PREFIX.out (we write), O_CLOEXEC. */
int sync_open(const char *prefix, pid_t engine, int timeout_ms, int *from_engine, int *to_engine);

/* Waits for one line from the engine; returns like sync_read_line, or 0 (as at EOF) if the
 * engine went away or timeout_ms passed first. */
int sync_await_line(int fd, char *buf, size_t size, pid_t engine, int timeout_ms);
/* Send one line (a '\n' is appended). Never raises SIGPIPE. */
int sync_send_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read one line without the '\n'. Returns its length, 0 at EOF, -1 on error. */
int sync_read_line(int fd, char *buf, size_t size);

/* Send a channel message, optionally with one fd attached. */
int chan_send(int fd, char type, const char *text, int passfd);
/* Receive a channel message: returns the payload length (type in *type, NUL-terminated text in
 * buf, a received fd in *passfd or -1), 0 at EOF, -1 on error. Received fds are O_CLOEXEC. */
int chan_recv(int fd, char *type, char *buf, size_t size, int *passfd);

#endif
