/*
 * Byte plumbing shared by the monitor and exec: output streams (tee + log), the stdin -> pty
 * relay, and the caller's terminal (raw mode, window size).
 */
#ifndef HUTCH_IO_H
#define HUTCH_IO_H

#include "log.h"

#include <stddef.h>
#include <termios.h>

/* A partial line longer than this is logged as it is (docs/helper-protocol.md "Log file"). */
#define LOG_LINE_MAX (16 * 1024)

struct stream {
    int fd;           /* read end (pipe or pty master), -1 once closed */
    int tee;          /* where raw bytes are copied (our stdout/stderr), -1 for none */
    const char *name; /* "stdout" / "stderr" in the log */
    struct jwriter *log; /* NULL: no log */
    char *buf;        /* pending partial line, LOG_LINE_MAX bytes, allocated only with a log */
    size_t len;
    int id;           /* 1 stdout, 2 stderr: the stream number attach clients see */
    void (*on_data)(int id, const char *p, size_t n); /* NULL, or the monitor's attach relay */
};

/* Prepare a stream; allocates the line buffer only when there is a log. */
int stream_init(struct stream *s, int fd, int tee, const char *name, struct jwriter *log);
/* Read what is available once. Returns 1 if data was read, 0 at EOF/EIO (fd closed and the
 * pending partial line logged), -1 if nothing was available (EAGAIN/EINTR). */
int stream_pump(struct stream *s);
/* Close the stream, logging any partial line. */
void stream_close(struct stream *s);

#define INRELAY_READ 1024

/* stdin -> pty master. The master is non-blocking and the relay holds at most one chunk, so a
 * command that does not read its input can never stall the output side of the loop. */
struct inrelay {
    int from, to; /* -1 when inactive */
    size_t off, len;
    /* docker's detach keys (nkeys 0: none): matched bytes are held back; when the match fails
     * they are passed on; when it completes, `detached` is set and the rest of that read dropped */
    const unsigned char *keys;
    size_t nkeys, matched;
    int detached;
    char buf[INRELAY_READ + 64];
};
/* 1: poll `from` for POLLIN; 2: poll `to` for POLLOUT; 0: inactive. */
int inrelay_wants(const struct inrelay *r);
void inrelay_read(struct inrelay *r);
void inrelay_write(struct inrelay *r);

struct term {
    int fd; /* -1 if not in raw mode */
    struct termios saved;
};
/* Put fd in raw mode if it is a terminal (docker -it). */
void term_raw(struct term *t, int fd);
void term_restore(struct term *t);
/* Copy the caller's window size (from stdin, else stdout, if a terminal) to the pty master. */
void term_copy_winsize(int master);
/* The same, telling the size it gave the master: 0 when it did, -1 otherwise. */
struct winsize;
int term_copy_winsize_to(int master, struct winsize *ws);

#endif
