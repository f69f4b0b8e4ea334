#define _GNU_SOURCE
#include "event.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DIE_ACTION "\"action\":\"die\""
#define ATTRS_KEY "\"attrs\":{"
#define MAX_LINE 65536

int event_line(char *buf, size_t cap, const char *event_die, const char *action, long long time_ns, int exit_code,
               const char *attrs)
{
    /* The engine writes every journal line as {"timeNano":..,"type":..,"action":..,...}: the
     * action sits once, right after the type, before the id and attributes (which are escaped
     * JSON, so a quote inside them never reads as the key). */
    const char *at = strstr(event_die, DIE_ACTION);
    if (!at || strchr(action, '"') || strchr(action, '\\'))
        return -1;
    int n = exit_code >= 0 ? snprintf(buf, cap, "{\"timeNano\":%lld,\"exitCode\":\"%d\",", time_ns, exit_code)
                           : snprintf(buf, cap, "{\"timeNano\":%lld,", time_ns);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    size_t len = (size_t)n, before = (size_t)(at - event_die), tail = strlen(at + strlen(DIE_ACTION));
    size_t need = len + before + strlen("\"action\":\"\"") + strlen(action) + tail + 1;
    if (need >= cap)
        return -1;
    memcpy(buf + len, event_die, before);
    len += before;
    len += (size_t)sprintf(buf + len, "\"action\":\"%s\"", action);
    const char *rest = at + strlen(DIE_ACTION);
    if (attrs && *attrs) {
        /* The attributes object follows the id, a hex string: its key is the first one after the action. */
        const char *obj = strstr(rest, ATTRS_KEY);
        if (!obj)
            return -1;
        obj += strlen(ATTRS_KEY);
        size_t head = (size_t)(obj - rest), extra = strlen(attrs) + (*obj == '}' ? 0 : 1);
        if (len + head + extra + (tail - head) + 1 >= cap)
            return -1;
        memcpy(buf + len, rest, head);
        len += head;
        len += (size_t)sprintf(buf + len, "%s%s", attrs, *obj == '}' ? "" : ",");
        rest = obj;
        tail -= head;
    }
    memcpy(buf + len, rest, tail);
    len += tail;
    buf[len++] = '\n';
    buf[len] = 0;
    return (int)len;
}

void event_append(const struct launch *l, const char *action, int exit_code, const char *attrs)
{
    if (!l->event_file || !l->event_die)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char *line = malloc(MAX_LINE);
    if (!line)
        return;
    int n = event_line(line, MAX_LINE, l->event_die, action, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, exit_code, attrs);
    int fd = n > 0 ? open(l->event_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
    if (fd >= 0) {
        ssize_t w = write(fd, line, (size_t)n); /* one write: the line lands whole */
        (void)w;
        close(fd);
    }
    free(line);
}
