/*
 * Tests of event.c, the monitor's journal lines: die with its exit code, oom and health_status
 * made from the engine's prepared die line, refusals (an action that would break the JSON, a
 * prepared line of another form, a buffer too small), and a real append to a file as the monitor
 * does it. Run by `make test`; needs no root.
 */
#define _GNU_SOURCE
#include "../../main/c/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

/* What EventJournal.dieLineRest writes into the launch file. */
static const char *REST = "\"type\":\"container\",\"action\":\"die\",\"id\":\"abc\",\"attrs\":{\"image\":\"busybox\",\"name\":\"x \\\"action\\\":\\\"die\\\"\"}}";

int main(void)
{
    char buf[512];
    int n = event_line(buf, sizeof buf, REST, "die", 1700000000123456789LL, 137, NULL);
    check(n > 0 && !strcmp(buf, "{\"timeNano\":1700000000123456789,\"exitCode\":\"137\",\"type\":\"container\",\"action\":\"die\",\"id\":\"abc\","
                                "\"attrs\":{\"image\":\"busybox\",\"name\":\"x \\\"action\\\":\\\"die\\\"\"}}\n") && n == (int)strlen(buf),
          "die: time, exit code, the prepared rest");
    n = event_line(buf, sizeof buf, REST, "oom", 5, -1, NULL);
    check(n > 0 && !strcmp(buf, "{\"timeNano\":5,\"type\":\"container\",\"action\":\"oom\",\"id\":\"abc\","
                                "\"attrs\":{\"image\":\"busybox\",\"name\":\"x \\\"action\\\":\\\"die\\\"\"}}\n"),
          "oom: no exit code, the action replaced once (a name that looks like the key stays)");
    n = event_line(buf, sizeof buf, REST, "health_status: unhealthy", 5, -1, NULL);
    check(n > 0 && strstr(buf, ",\"action\":\"health_status: unhealthy\",\"id\":\"abc\",") != NULL, "health_status: unhealthy");
    n = event_line(buf, sizeof buf, REST, "resize", 5, -1, "\"height\":\"40\",\"width\":\"120\"");
    check(n > 0 && !strcmp(buf, "{\"timeNano\":5,\"type\":\"container\",\"action\":\"resize\",\"id\":\"abc\","
                                "\"attrs\":{\"height\":\"40\",\"width\":\"120\",\"image\":\"busybox\",\"name\":\"x \\\"action\\\":\\\"die\\\"\"}}\n"),
          "resize: its attributes beside the container's");
    n = event_line(buf, sizeof buf, "\"type\":\"container\",\"action\":\"die\",\"id\":\"abc\",\"attrs\":{}}", "resize", 5, -1, "\"height\":\"1\"");
    check(n > 0 && strstr(buf, "\"attrs\":{\"height\":\"1\"}}\n") != NULL, "resize: into empty attributes, no stray comma");
    check(event_line(buf, sizeof buf, REST, "a\"b", 5, -1, NULL) == -1, "an action with a quote is refused");
    check(event_line(buf, sizeof buf, "\"type\":\"container\",\"id\":\"abc\"}", "oom", 5, -1, NULL) == -1,
          "a prepared line without the die action is refused");
    check(event_line(buf, 40, REST, "oom", 5, -1, NULL) == -1, "a line that does not fit is refused, not cut");

    char path[] = "/tmp/hutch-event-test-XXXXXX";
    int fd = mkstemp(path);
    check(fd >= 0, "a temporary journal");
    struct launch l;
    memset(&l, 0, sizeof l);
    l.event_file = path;
    l.event_die = (char *)REST;
    event_append(&l, "oom", -1, NULL);
    event_append(&l, "die", 137, NULL);
    char got[1024] = {0};
    ssize_t r = pread(fd, got, sizeof got - 1, 0);
    check(r > 0 && strstr(got, "\"action\":\"oom\"") != NULL && strstr(got, "\"exitCode\":\"137\",\"type\":\"container\",\"action\":\"die\"") != NULL
              && strstr(got, "\"action\":\"oom\"") < strstr(got, "\"action\":\"die\""),
          "appended: two whole lines, oom before die");
    int lines = 0;
    for (char *p = got; *p; p++)
        lines += *p == '\n';
    check(lines == 2, "one line each");
    l.event_file = NULL;
    event_append(&l, "die", 0, NULL); /* no journal: nothing to do, nothing crashes */
    close(fd);
    unlink(path);
    printf("event_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
