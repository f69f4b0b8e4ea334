#define _GNU_SOURCE
#include "process.h"

#include "caps.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static void __attribute__((noreturn)) fail(const struct child_io *io, int code)
{
    char buf[HUTCH_ERR_MAX + 16];
    int n = snprintf(buf, sizeof buf, "%d %s", code, hutch_err);
    if (n > 0)
        (void)write_all(io->errpipe, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    _exit(code);
}

static const char *env_get(char *const *env, const char *name)
{
    size_t len = strlen(name);
    for (; env && *env; env++)
        if (!strncmp(*env, name, len) && (*env)[len] == '=')
            return *env + len + 1;
    return NULL;
}

/* execve, or record why not; returns the errno of the failed execve. */
static int try_exec(const char *path, const struct launch *l)
{
    execve(path, l->args, l->env);
    return errno;
}

/* execvpe-like lookup against PATH of the *container* environment (not ours), with runc's
 * messages and docker's exit codes. Runs last, after the uid change, so that permission checks
 * are the command's own. */
static void __attribute__((noreturn)) lookup_and_exec(const struct launch *l, const struct child_io *io)
{
    const char *name = l->args[0];
    if (!*name) {
        err("exec: \"\": executable file not found in $PATH");
        fail(io, 127);
    }
    if (strchr(name, '/')) {
        int e = try_exec(name, l);
        if (e == ENOENT || e == ENOTDIR) {
            err("exec: \"%s\": stat %s: %s", name, name, errno_str(e));
            fail(io, 127);
        }
        err("exec: \"%s\": %s", name, errno_str(e));
        fail(io, 126);
    }
    const char *path = env_get(l->env, "PATH");
    if (!path)
        path = DEFAULT_PATH;
    int eacces = 0;
    char buf[4096];
    for (const char *p = path;; p++) {
        const char *end = strchrnul(p, ':');
        size_t dlen = (size_t)(end - p);
        /* An empty PATH entry means the current directory. */
        int n = dlen ? snprintf(buf, sizeof buf, "%.*s/%s", (int)dlen, p, name)
                     : snprintf(buf, sizeof buf, "./%s", name);
        struct stat st;
        if (n > 0 && (size_t)n < sizeof buf && stat(buf, &st) == 0 && !S_ISDIR(st.st_mode)) {
            int e = try_exec(buf, l);
            if (e == EACCES)
                eacces = 1;
            else if (e != ENOENT && e != ENOTDIR) {
                err("exec: \"%s\": %s", name, errno_str(e));
                fail(io, 126);
            }
        }
        if (!*end)
            break;
        p = end;
    }
    if (eacces) {
        err("exec: \"%s\": permission denied", name);
        fail(io, 126);
    }
    err("exec: \"%s\": executable file not found in $PATH", name);
    fail(io, 127);
}

void proc_exec_child(const struct launch *l, const struct child_io *io)
{
    /* Default dispositions first, then an empty mask: the helper ignores SIGPIPE and blocks the
     * signals it forwards, and both would otherwise be inherited through execve. */
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL); /* EINVAL for glibc's reserved signals: harmless */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* Own session: the command is not in the group of the caller's terminal, so a Ctrl-C
     * reaches it once (forwarded by monitor and init), and with a tty it gets its own. */
    if (setsid() < 0) {
        errp("setsid");
        fail(io, 125);
    }
    if (io->tty >= 0) {
        if (ioctl(io->tty, TIOCSCTTY, 0) < 0) {
            errp("set controlling terminal");
            fail(io, 125);
        }
        if (dup2(io->tty, 0) < 0 || dup2(io->tty, 1) < 0 || dup2(io->tty, 2) < 0) {
            errp("dup2 tty");
            fail(io, 125);
        }
    } else if (dup2(io->in, 0) < 0 || dup2(io->out, 1) < 0 || dup2(io->err, 2) < 0) {
        errp("dup2 stdio");
        fail(io, 125);
    }

    if (chdir(l->cwd) < 0) {
        errp("chdir to cwd (\"%s\") set in config", l->cwd);
        fail(io, 125);
    }

    for (size_t i = 0; i < l->nrlimits; i++)
        if (setrlimit((__rlimit_resource_t)l->rlimits[i].resource, &l->rlimits[i].lim) < 0) {
            errp("setrlimit %d", l->rlimits[i].resource);
            fail(io, 125);
        }

    /* Without no_new_privs, installing a filter needs CAP_SYS_ADMIN, which the steps below drop:
     * then it goes in now, and must allow them (docker's default does); runc does the same. */
    if (l->seccomp.len && !l->no_new_privs && seccomp_install(&l->seccomp) < 0)
        fail(io, 125);

    /* groups, then gid, then uid: each later step removes the right to do the earlier ones. */
    if (setgroups(l->ngroups, l->groups) < 0 && !(errno == EPERM && l->ngroups == 0)) {
        /* EPERM with no groups: a user namespace with setgroups denied; nothing to set. */
        errp("setgroups");
        fail(io, 125);
    }
    if (setresgid(l->gid, l->gid, l->gid) < 0) {
        errp("setgid %u", (unsigned)l->gid);
        fail(io, 125);
    }
    /* The bounding set can only be reduced with CAP_SETPCAP in the effective set, which a
     * non-root uid loses: drop it before setresuid. KEEPCAPS keeps the permitted set across
     * setresuid so caps_apply can then set exactly the kept ones. */
    if (caps_drop_bounding(l->caps) < 0)
        fail(io, 125);
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
        errp("prctl(PR_SET_KEEPCAPS)");
        fail(io, 125);
    }
    if (setresuid(l->uid, l->uid, l->uid) < 0) {
        errp("setuid %u", (unsigned)l->uid);
        fail(io, 125);
    }
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
        errp("prctl(PR_SET_KEEPCAPS)");
        fail(io, 125);
    }
    if (caps_apply(l->caps) < 0)
        fail(io, 125);
    if (l->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        errp("prctl(PR_SET_NO_NEW_PRIVS)");
        fail(io, 125);
    }
    umask(022); /* docker's default for the container process */

    /* Nothing of ours may reach the command: close every fd above 2 except the error pipe,
     * which is O_CLOEXEC and vanishes with a successful execve. */
    close_fds(3, io->errpipe - 1);
    CLOSE_ALL_ABOVE(io->errpipe + 1);

    /* The filter last: nothing of the helper's own set-up runs under it. */
    if (l->seccomp.len && l->no_new_privs && seccomp_install(&l->seccomp) < 0)
        fail(io, 125);

    lookup_and_exec(l, io);
}

int proc_read_exec_result(int fd)
{
    char buf[HUTCH_ERR_MAX + 16];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == sizeof buf - 1)
            break;
    }
    if (len == 0)
        return 0;
    buf[len] = 0;
    char *sp = strchr(buf, ' ');
    int code = atoi(buf);
    if (code < 1 || code > 255)
        code = 125;
    err("%s", sp ? sp + 1 : "command setup failed");
    return code;
}
