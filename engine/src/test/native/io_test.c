/*
 * The monitor's stdin relay with docker's detach keys (io.c, struct inrelay): what reaches the
 * container's side, what is held back, and when the relay says "detached". Pipes stand in for the
 * caller's terminal and the pty master. Needs no root.
 */
#define _GNU_SOURCE
#include "../../main/c/io.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what, int line)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s\n", line, what);
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

static const unsigned char CTRL_P_Q[] = {16, 17};

static int caller[2], pty[2];

static void relay_init(struct inrelay *r, const unsigned char *keys, size_t nkeys)
{
    memset(r, 0, sizeof *r);
    r->from = caller[0];
    r->to = pty[1];
    r->keys = keys;
    r->nkeys = nkeys;
}

/* Types `typed` as one read, relays it, and returns what reached the pty (NUL-terminated). */
static const char *type(struct inrelay *r, const char *typed)
{
    static char got[256];
    if (write(caller[1], typed, strlen(typed)) != (ssize_t)strlen(typed))
        return "(write failed)";
    inrelay_read(r);
    ssize_t n = read(pty[0], got, sizeof got - 1);
    got[n > 0 ? n : 0] = 0;
    return got;
}

int main(void)
{
    if (pipe2(caller, O_NONBLOCK) < 0 || pipe2(pty, O_NONBLOCK) < 0) {
        perror("pipe");
        return 2;
    }
    struct inrelay r;

    relay_init(&r, CTRL_P_Q, 2);
    CHECK(!strcmp(type(&r, "ab\x10\x11" "cd"), "ab"));
    CHECK(r.detached == 1); /* and what followed the sequence in that read is dropped */

    relay_init(&r, CTRL_P_Q, 2);
    CHECK(!strcmp(type(&r, "\x10" "a"), "\x10" "a")); /* ctrl-p then another key: both go on */
    CHECK(r.detached == 0);

    relay_init(&r, CTRL_P_Q, 2);
    CHECK(!strcmp(type(&r, "x\x10"), "x")); /* a possible start is held back... */
    CHECK(!strcmp(type(&r, "\x10\x11"), "\x10")); /* ...passed on when the next byte starts it anew */
    CHECK(r.detached == 1);

    relay_init(&r, CTRL_P_Q, 2);
    CHECK(!strcmp(type(&r, "\x10"), ""));
    CHECK(!strcmp(type(&r, "q"), "\x10q")); /* a held byte and the one that broke the match, in order */
    CHECK(r.detached == 0);

    static const unsigned char one[] = {'y'};
    relay_init(&r, one, 1);
    CHECK(!strcmp(type(&r, "xy"), "x"));
    CHECK(r.detached == 1);

    relay_init(&r, NULL, 0); /* no keys (no tty, or -d): every byte goes on */
    CHECK(!strcmp(type(&r, "\x10\x11"), "\x10\x11"));
    CHECK(r.detached == 0);

    printf("io_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
