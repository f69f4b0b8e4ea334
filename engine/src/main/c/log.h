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
    /* Container logs only (jw_init_log): a failed write loses that buffer, counts it, and the
     * next line tries again; the first line written after a loss is a "hutch" entry saying how
     * many bytes were lost. Past max_size the file is rotated (docker's max-size, max-file). */
    const char *path;
    unsigned long long size, max_size, lost;
    unsigned max_files;
    int torn, lost_errno, noting;
};

void jw_init(struct jwriter *w, int fd);
/* A container log at path, opened (O_APPEND) by the caller as fd; max_size 0 = no rotation. */
void jw_init_log(struct jwriter *w, int fd, const char *path, unsigned long long max_size, unsigned max_files);
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
