/*
 * The attach socket of a detached container (docs/helper-protocol.md "Attach socket"): the
 * monitor listens on STATE_DIR/attach, sends every client the container's output in docker's
 * multiplexed frames, and passes what clients write to the container's stdin (pty or pipe).
 */
#ifndef HUTCH_ATTACH_H
#define HUTCH_ATTACH_H

#include <poll.h>
#include <stddef.h>

#define ATTACH_MAX 8

struct attach {
    int listen_fd;              /* -1: no socket */
    int clients[ATTACH_MAX];    /* -1: free slot */
};

void attach_init(struct attach *a);
/* Listen on state_dir/attach (mode 0600). */
int attach_listen(struct attach *a, const char *state_dir);
/* Adds the fds to poll at p[*np...]; returns the index of the first one added. */
int attach_poll_add(const struct attach *a, struct pollfd *p, int *np);
/* After poll: accept new clients, read their input into in_fd (-1: their input is dropped). */
void attach_poll_done(struct attach *a, const struct pollfd *p, int first, int in_fd);
/* One frame of output to every client: 8-byte header {stream,0,0,0,len32 BE}, then the bytes. */
void attach_broadcast(struct attach *a, int stream, const char *buf, size_t n);
/* Closes every client and the socket, and removes its file. */
void attach_close(struct attach *a, const char *state_dir);

#endif
