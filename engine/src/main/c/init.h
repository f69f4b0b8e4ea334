/*
 * init: PID 1 of the container. Entered in the child of the monitor's clone(); never returns.
 */
#ifndef HUTCH_INIT_H
#define HUTCH_INIT_H

#include "launch_file.h"

struct init_fds {
    int chan;    /* init's end of the monitor socketpair (sync.h) */
    int out, err; /* write ends of the stdout/stderr pipes; -1 with a tty */
    int devnull; /* the host's /dev/null, opened by the monitor before clone */
};

void init_main(const struct launch *l, const struct init_fds *fds) __attribute__((noreturn));

/* The signals init and the monitor forward (SIGWINCH only by init: the monitor resizes the
 * pty instead, and the kernel signals the pty's foreground group itself). */
#define FORWARDED_SIGNALS SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2

#endif
