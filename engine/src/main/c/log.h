/*
 * JSON output: the JSON-lines container log (docker's json-file format) and the exit file.
 * A small buffered writer, so a log line costs one or two write() calls and no large buffers.
 */
#ifndef HUTCH_LOG_H
#define HUTCH_LOG_H

#include <stddef.h>

struct jwriter {
    int fd;
    int failed; /* a write failed (disk full, ...): stop trying, keep the container running */
    size_t len;
    char buf[2048];
};

void jw_init(struct jwriter *w, int fd);
void jw_raw(struct jwriter *w, const char *s, size_t n);
/* Append s as the inside of a JSON string: quotes, backslashes and control characters escaped,
 * valid UTF-8 copied, each invalid byte written as \ufffd. */
void jw_escaped(struct jwriter *w, const char *s, size_t n);
int jw_flush(struct jwriter *w);

/* Current time as RFC 3339 UTC with nanoseconds: 2026-11-22T06:29:24.123456789Z (31 bytes). */
void rfc3339_now(char out[40]);

/* One log line: {"time":"...","stream":"stdout","log":"..."} */
void log_line(struct jwriter *w, const char *stream, const char *data, size_t n);

/* Number of bytes at the end of s that begin a UTF-8 sequence still missing its continuation
 * bytes (0-3). A partial log line keeps them for the next chunk instead of mangling them. */
size_t utf8_incomplete_tail(const char *s, size_t n);

#endif
