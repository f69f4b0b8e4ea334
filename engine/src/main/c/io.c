#define _GNU_SOURCE
#include "io.h"

#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int stream_init(struct stream *s, int fd, int tee, const char *name, struct jwriter *log)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->tee = tee;
    s->name = name;
    s->log = log;
    if (log) {
        s->buf = malloc(LOG_LINE_MAX);
        if (!s->buf)
            return err("out of memory");
    }
    return 0;
}

static void tee_out(struct stream *s, const char *p, size_t n)
{
    /* Our stdout may be gone (caller closed it, EPIPE: SIGPIPE is ignored). Keep logging. */
    if (s->tee >= 0 && write_all(s->tee, p, n) < 0)
        s->tee = -1;
}

/* Log every complete line in the buffer; with `all`, the rest too. A full buffer without a
 * newline is logged as it is, minus an incomplete UTF-8 character at its end. */
static void emit_lines(struct stream *s, int all)
{
    size_t start = 0;
    for (;;) {
        char *nl = memchr(s->buf + start, '\n', s->len - start);
        if (!nl)
            break;
        size_t end = (size_t)(nl - s->buf) + 1;
        log_line(s->log, s->name, s->buf + start, end - start);
        start = end;
    }
    size_t rest = s->len - start;
    if (rest && (all || rest == LOG_LINE_MAX)) {
        size_t keep = all ? 0 : utf8_incomplete_tail(s->buf + start, rest);
        log_line(s->log, s->name, s->buf + start, rest - keep);
        start += rest - keep;
    }
    if (start) {
        memmove(s->buf, s->buf + start, s->len - start);
        s->len -= start;
    }
}

int stream_pump(struct stream *s)
{
    char small[4096];
    char *p = s->log ? s->buf + s->len : small;
    size_t room = s->log ? LOG_LINE_MAX - s->len : sizeof small;
    ssize_t n = read(s->fd, p, room);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return -1;
    if (n <= 0) {
        /* EOF on a pipe, or EIO on a pty master once every slave fd is closed. */
        stream_close(s);
        return 0;
    }
    tee_out(s, p, (size_t)n);
    if (s->on_data)
        s->on_data(s->id, p, (size_t)n);
    if (s->log) {
        s->len += (size_t)n;
        emit_lines(s, 0);
    }
    return 1;
}

void stream_close(struct stream *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    if (s->log && s->len)
        emit_lines(s, 1);
    s->len = 0;
}

int inrelay_wants(const struct inrelay *r)
{
    if (r->from < 0 || r->to < 0)
        return 0;
    return r->len > r->off ? 2 : 1;
}

/* Copies `in` to r->buf but for the detach keys (see struct inrelay); returns the bytes copied. */
static size_t detach_filter(struct inrelay *r, const unsigned char *in, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == r->keys[r->matched]) {
            if (++r->matched == r->nkeys) {
                r->matched = 0;
                r->detached = 1;
                return out;
            }
            continue;
        }
        /* Not the sequence after all: what was held goes on, and this byte may begin it anew. */
        memcpy(r->buf + out, r->keys, r->matched);
        out += r->matched;
        r->matched = in[i] == r->keys[0];
        if (!r->matched)
            r->buf[out++] = (char)in[i];
    }
    return out;
}

void inrelay_read(struct inrelay *r)
{
    unsigned char in[INRELAY_READ];
    ssize_t n = read(r->from, r->nkeys ? (void *)in : (void *)r->buf, INRELAY_READ);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        r->from = -1; /* our stdin ended; the command keeps its terminal */
        return;
    }
    r->off = 0;
    r->len = r->nkeys ? detach_filter(r, in, (size_t)n) : (size_t)n;
    inrelay_write(r);
}

void inrelay_write(struct inrelay *r)
{
    while (r->off < r->len) {
        ssize_t n = write(r->to, r->buf + r->off, r->len - r->off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                r->to = -1; /* the pty is gone */
            return;
        }
        r->off += (size_t)n;
    }
    r->off = r->len = 0;
}

void term_raw(struct term *t, int fd)
{
    t->fd = -1;
    if (!isatty(fd) || tcgetattr(fd, &t->saved) < 0)
        return;
    struct termios raw = t->saved;
    cfmakeraw(&raw);
    /* Keep output post-processing off too (cfmakeraw does): the container's pty already
     * turned "\n" into "\r\n". */
    if (tcsetattr(fd, TCSADRAIN, &raw) == 0)
        t->fd = fd;
}

void term_restore(struct term *t)
{
    if (t->fd >= 0) {
        tcsetattr(t->fd, TCSADRAIN, &t->saved);
        t->fd = -1;
    }
}

void term_copy_winsize(int master)
{
    struct winsize ws;
    (void)term_copy_winsize_to(master, &ws);
}

int term_copy_winsize_to(int master, struct winsize *ws)
{
    if (master < 0)
        return -1;
    if (ioctl(0, TIOCGWINSZ, ws) == 0 || ioctl(1, TIOCGWINSZ, ws) == 0)
        return ioctl(master, TIOCSWINSZ, ws);
    return -1;
}
