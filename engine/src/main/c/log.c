#define _GNU_SOURCE
#include "log.h"

#include "util.h"

#include <string.h>
#include <time.h>

void jw_init(struct jwriter *w, int fd)
{
    w->fd = fd;
    w->failed = 0;
    w->len = 0;
}

int jw_flush(struct jwriter *w)
{
    if (w->len && !w->failed && write_all(w->fd, w->buf, w->len) < 0)
        w->failed = 1;
    w->len = 0;
    return w->failed ? -1 : 0;
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

void log_line(struct jwriter *w, const char *stream, const char *data, size_t n)
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
