/*
 * hutch-helper: the native stage of the hutch container engine.
 * Contract: docs/helper-protocol.md (protocol version 2).
 *
 *   hutch-helper run  LAUNCH_FILE   monitor + container init
 *   hutch-helper exec EXEC_FILE     a command in a running container
 *   hutch-helper version            "hutch-helper 2"
 *
 * Order at start, for run and exec:
 *   1. fds 0-2 made valid (so no fd we open later lands on them and becomes the command's
 *      stdio by accident);
 *   2. every inherited fd above 2 closed: nothing of the caller may reach the container;
 *   3. memfd re-exec (after 2: the copy needs nothing inherited, and fds we open are CLOEXEC);
 *   4. the plan is parsed; unknown keys are an error, exit 125.
 */
#define _GNU_SOURCE
#include "exec.h"
#include "launch_file.h"
#include "memfd_reexec.h"
#include "monitor.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void usage(void)
{
    msg("usage: hutch-helper run LAUNCH_FILE | exec EXEC_FILE | version");
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "version")) {
        static const char v[] = "hutch-helper 2\n";
        return write_all(1, v, sizeof v - 1) < 0 ? 1 : 0;
    }
    if (argc != 3 || (strcmp(argv[1], "run") && strcmp(argv[1], "exec"))) {
        usage();
        return 125;
    }
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0) {
            int n = open("/dev/null", O_RDWR); /* lands on fd, the lowest free number */
            if (n > 2)
                close(n);
        }
    CLOSE_ALL_ABOVE(3);
    struct utsname u;
    if (uname(&u) == 0 && !kernel_at_least(u.release, KERNEL_FLOOR_MAJOR, KERNEL_FLOOR_MINOR)) {
        msg("this kernel is Linux %s; hutch needs %d.%d or later (cgroup namespaces): see the README's "
            "supported kernels", u.release, KERNEL_FLOOR_MAJOR, KERNEL_FLOOR_MINOR);
        return 125;
    }
    if (memfd_reexec(argv) < 0) {
        msg("%s", hutch_err);
        return 125;
    }
    helper_argv = argv;
    int is_exec = !strcmp(argv[1], "exec");
    struct launch l;
    if (launch_parse(argv[2], is_exec, &l) < 0) {
        msg("%s", hutch_err);
        return 125;
    }
    if (is_exec)
        exec_main(&l);
    monitor_main(&l);
}
