#define _GNU_SOURCE
#include "log.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

void jw_init(struct jwriter *w, int fd)
{
    memset(w, 0, offsetof(struct jwriter, buf));
    w->fd = fd;
    w->path = NULL;
    w->size = w->max_size = w->lost = 0;
    w->max_files = 1;
    w->torn = w->lost_errno = w->noting = 0;
}

void jw_init_log(struct jwriter *w, int fd, const char *path, unsigned long long max_size, unsigned max_files)
{
    jw_init(w, fd);
    w->path = path;
    w->max_size = max_size;
    w->max_files = max_files ? max_files : 1;
    struct stat st;
    if (fstat(fd, &st) == 0)
        w->size = (unsigned long long)st.st_size;
}

/* A log write that fails (ENOSPC, EIO...) loses this buffer only: it is counted, and the next
 * write tries again, after a newline that ends whatever part of a line did reach the file (a
 * blank or torn line is skipped by readers). The exit file keeps the old rule: fail, stop. */
static int log_flush(struct jwriter *w)
{
    if (w->torn) {
        if (write_all(w->fd, "\n", 1) < 0)
            goto lost;
        w->torn = 0;
        w->size++;
    }
    if (write_all(w->fd, w->buf, w->len) < 0)
        goto lost;
    w->size += w->len;
    w->len = 0;
    return 0;
lost:
    w->lost_errno = errno;
    if (!w->noting)
        w->lost += w->len;
    w->torn = 1;
    w->len = 0;
    return -1;
}

int jw_flush(struct jwriter *w)
{
    if (w->path)
        return w->len ? log_flush(w) : 0;
    if (w->len && !w->failed && write_all(w->fd, w->buf, w->len) < 0)
        w->failed = 1;
    w->len = 0;
    return w->failed ? -1 : 0;
}

/* path -> path.1 -> ... -> path.(max_files-1), the oldest dropped; then a fresh path. With one
 * file, the file is emptied. Failures leave the current file in use (nothing is lost by them). */
static void log_rotate(struct jwriter *w)
{
    char from[4200], to[4200];
    for (unsigned i = w->max_files - 1; i >= 1; i--) {
        if (i == 1)
            snprintf(from, sizeof from, "%s", w->path);
        else
            snprintf(from, sizeof from, "%s.%u", w->path, i - 1);
        snprintf(to, sizeof to, "%s.%u", w->path, i);
        (void)rename(from, to);
    }
    int fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return;
    if (dup2(fd, w->fd) >= 0) /* keep the fd number: nothing else needs to learn it */
        fcntl(w->fd, F_SETFD, FD_CLOEXEC);
    close(fd);
    w->size = 0;
    w->torn = 0;
}

void jw_raw(struct jwriter *w, const char *s, size_t n)
{
    while (n) {
        if (w->len == sizeof w->buf)
            jw_flush(w);
        size_t k = sizeof w->buf - w->len;
        if (k > n)
            k = n;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
}

/* Length of the valid UTF-8 sequence at s (1-4), 0 if invalid, -1 if valid so far but cut off
 * by the end of the buffer. Rejects overlong forms, surrogates and code points above U+10FFFF. */
static int utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    int len;
    unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c < 0x80)
        return 1;
    else if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else
        return 0;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
            return 0;
    }
    return len;
}

size_t utf8_incomplete_tail(const char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        const unsigned char *p = (const unsigned char *)s + n - k;
        if (*p < 0x80)
            return 0;
        if (*p >= 0xc0)
            return utf8_len(p, k) == -1 ? k : 0;
    }
    return 0;
}

void jw_escaped(struct jwriter *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        /* Copy a run of bytes that need no escaping in one go. */
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            jw_raw(w, (const char *)run, (size_t)(p - run));
        if (p >= end)
            break;
        unsigned c = *p;
        char e[8];
        if (c >= 0x80) {
            int l = utf8_len(p, (size_t)(end - p));
            if (l > 0) {
                jw_raw(w, (const char *)p, (size_t)l);
                p += l;
            } else {
                jw_raw(w, "\\ufffd", 6);
                p++;
            }
            continue;
        }
        p++;
        switch (c) {
        case '"': jw_raw(w, "\\\"", 2); break;
        case '\\': jw_raw(w, "\\\\", 2); break;
        case '\n': jw_raw(w, "\\n", 2); break;
        case '\r': jw_raw(w, "\\r", 2); break;
        case '\t': jw_raw(w, "\\t", 2); break;
        case '\b': jw_raw(w, "\\b", 2); break;
        case '\f': jw_raw(w, "\\f", 2); break;
        default:
            memcpy(e, "\\u00", 4);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            jw_raw(w, e, 6);
        }
    }
}

/* Write v as exactly `width` decimal digits (v is already in range). */
static char *digits(char *p, unsigned long v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

void rfc3339_now(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    /* By hand rather than strftime/snprintf: fixed width, no locale, no TZ lookup. */
    char *p = out;
    p = digits(p, (unsigned long)(tm.tm_year + 1900), 4);
    *p++ = '-';
    p = digits(p, (unsigned long)(tm.tm_mon + 1), 2);
    *p++ = '-';
    p = digits(p, (unsigned long)tm.tm_mday, 2);
    *p++ = 'T';
    p = digits(p, (unsigned long)tm.tm_hour, 2);
    *p++ = ':';
    p = digits(p, (unsigned long)tm.tm_min, 2);
    *p++ = ':';
    p = digits(p, (unsigned long)tm.tm_sec, 2);
    *p++ = '.';
    p = digits(p, (unsigned long)ts.tv_nsec, 9);
    *p++ = 'Z';
    *p = 0;
}

static void log_entry(struct jwriter *w, const char *stream, const char *data, size_t n);

void log_line(struct jwriter *w, const char *stream, const char *data, size_t n)
{
    if (w->path && w->max_size && w->size >= w->max_size)
        log_rotate(w);
    if (w->path && w->lost) {
        char note[160];
        unsigned long long lost = w->lost;
        int k = snprintf(note, sizeof note, "hutch: %llu bytes of log lost (%s)\n", lost, strerror(w->lost_errno));
        w->noting = 1;
        log_entry(w, "hutch", note, (size_t)k);
        w->noting = 0;
        if (!w->torn)
            w->lost -= lost; /* written: only what was lost since stays to tell */
    }
    log_entry(w, stream, data, n);
}

static void log_entry(struct jwriter *w, const char *stream, const char *data, size_t n)
{
    char ts[40];
    rfc3339_now(ts);
    jw_raw(w, "{\"time\":\"", 9);
    jw_raw(w, ts, strlen(ts));
    jw_raw(w, "\",\"stream\":\"", 12);
    jw_raw(w, stream, strlen(stream));
    jw_raw(w, "\",\"log\":\"", 9);
    jw_escaped(w, data, n);
    jw_raw(w, "\"}\n", 3);
    jw_flush(w);
}
