/*
 * The last step before the user's command runs, shared by init (run) and by exec: this is the
 * only place that turns the plan's process settings into kernel state.
 */
#ifndef HUTCH_PROCESS_H
#define HUTCH_PROCESS_H

#include "launch_file.h"

struct child_io {
    int in, out, err; /* become fds 0, 1, 2 (all -1 with a tty) */
    int tty;          /* pty slave that becomes the controlling terminal and stdio, or -1 */
    int errpipe;      /* O_CLOEXEC write end: receives "CODE MESSAGE" if anything fails */
};

/*
 * Runs in the freshly forked child; never returns. Order (docs/helper-protocol.md step 6):
 * signals reset, setsid, controlling tty, stdio, chdir(cwd), rlimits, groups, gid, uid,
 * capabilities, no_new_privs, close every fd above 2 except the error pipe, PATH lookup, execve.
 * On failure it writes "CODE MESSAGE" to io->errpipe and exits with CODE (125 for setup,
 * 126 not executable, 127 not found). On success the error pipe closes through O_CLOEXEC, which
 * is how the parent learns that the command was exec'd.
 */
void proc_exec_child(const struct launch *l, const struct child_io *io) __attribute__((noreturn));

/* Read the child's report from the error pipe's read end. Returns 0 if the command was exec'd
 * (EOF), or the error code with the message copied into hutch_err. */
int proc_read_exec_result(int fd);

#endif
