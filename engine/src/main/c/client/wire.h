/*
 * The client's side of the engine service's wire format (docs/engine-service.md): frames, the
 * request, and the client's own command line. Kept apart from hutch_client.c so that the C tests
 * can check encoding and parsing without a service.
 */
#ifndef HUTCH_CLIENT_WIRE_H
#define HUTCH_CLIENT_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FRAME_HEADER 5
/* Nothing the service sends is large ('X' carries a number); a bigger length is a broken peer. */
#define FRAME_MAX_IN (64 * 1024)

/* A growable byte buffer: the whole request after 'H' goes out in one write. */
struct buf {
    unsigned char *data;
    size_t len, cap;
};

/* Appends one frame (type, big-endian length, payload). 0, or -1 when out of memory. */
int buf_frame(struct buf *b, char type, const void *payload, size_t len);
void buf_free(struct buf *b);

/* Writes the 5-byte header of a frame into out. */
void frame_header(unsigned char out[FRAME_HEADER], char type, uint32_t len);

/* Writes all of data, across partial writes and EINTR, never raising SIGPIPE. 0 or -1 (errno). */
int write_all(int fd, const void *data, size_t len);

/* Reads one frame. Returns 1 with *payload malloc'd (NUL-terminated, free it), 0 on EOF before a
 * header, -1 on error (errno; EPROTO for a truncated frame or a too long one). */
int frame_read(int fd, char *type, char **payload, uint32_t *len);

/* Sends 'H' "1" with the caller's fds 0, 1, 2 as SCM_RIGHTS in one sendmsg. 0 or -1 (errno). */
int send_hello(int fd);

/* What the request carries besides the fds; hutch_client.c fills it from the process. */
struct request {
    char **args;       /* the user's arguments */
    int nargs;
    char **env;        /* NULL-terminated, as environ */
    const char *cwd;
    mode_t umask;
    int tty[3];        /* isatty of fds 0, 1, 2 */
};

/* Encodes T, A..., E..., C, U, G into b. 0, or -1 when out of memory. */
int encode_request(struct buf *b, const struct request *r);

/* The client's command line:
 *   --socket PATH --log FILE --cold N ARG1..ARGN --service M ARG1..ARGM -- USER_ARGS... */
struct client_args {
    const char *socket_path;
    const char *log_path;
    char **cold;       /* points into argv; ncold entries */
    int ncold;
    char **service;
    int nservice;
    /* Optional, together: when a file under sources is newer than stamp, exec rebuild + user args
     * (the launcher's build; see stale_check.c). */
    const char *stamp;
    char **sources;
    int nsources;
    char **rebuild;
    int nrebuild;
    char **user;       /* what follows "--" */
    int nuser;
};

/* 0, or -1 with a one-line reason in err. */
int parse_client_args(int argc, char **argv, struct client_args *out, char *err, size_t errlen);

/* A NULL-terminated argv: the first n entries of head, then the user's arguments (malloc'd). */
char **join_argv(char **head, int n, char **user, int nuser);

#endif
