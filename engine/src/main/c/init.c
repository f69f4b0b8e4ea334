#define _GNU_SOURCE
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "init.h"

#include "mounts.h"
#include "process.h"
#include "sync.h"
#include "console_socket.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


/* SIOCGIFFLAGS/SIOCSIFFLAGS on "lo" in our own network namespace. */
static int loopback_up(void)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        errp("cannot bring lo up: socket");
        return -1;
    }
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
        errp("cannot bring lo up");
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* --oom-score-adj, for init and (by inheritance) the command. Lowering it below the engine's own
 * needs CAP_SYS_RESOURCE, which a sandboxed host withholds: say so rather than "permission denied". */
static int set_oom_score_adj(int value)
{
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%d", value);
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, buf, (size_t)n) != n) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (e == EACCES || e == EPERM)
            return err("--oom-score-adj: \"%d\" was refused by the kernel: a value below the engine's own needs "
                       "CAP_SYS_RESOURCE, which this host withholds (use a value of 0 or more)", value);
        errno = e;
        return errp("--oom-score-adj: cannot write %d to /proc/self/oom_score_adj", value);
    }
    close(fd);
    return 0;
}

/* --sysctl: into this container's own /proc/sys (its net and ipc namespaces), before /proc/sys is
 * made read-only. The engine allowed only namespaced names. */
static int write_sysctls(const struct launch *l)
{
    for (size_t i = 0; i < l->nsysctls; i++) {
        const char *line = l->sysctls[i];
        const char *sp = strchr(line, ' ');
        char path[512];
        int n = snprintf(path, sizeof path, "/proc/sys/%.*s", (int)(sp - line), line);
        if (n < 0 || (size_t)n >= sizeof path)
            return err("--sysctl: name too long: \"%.*s\"", (int)(sp - line), line);
        for (char *c = path + 10; *c; c++)
            if (*c == '.')
                *c = '/';
        int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            if (errno == ENOENT)
                return err("--sysctl: \"%.*s=%s\": this kernel has no such parameter in the container (%s)",
                           (int)(sp - line), line, sp + 1, path);
            return errp("--sysctl: \"%.*s=%s\": cannot open %s", (int)(sp - line), line, sp + 1, path);
        }
        size_t len = strlen(sp + 1);
        if (write(fd, sp + 1, len) != (ssize_t)len) {
            int e = errno;
            close(fd);
            errno = e;
            return errp("--sysctl: \"%.*s=%s\": the kernel refused the value", (int)(sp - line), line, sp + 1);
        }
        close(fd);
    }
    return 0;
}

static int chan = -1;
/* OCI, after start: the monitor is gone, so a failure is told on the command's stderr instead. */
static int late_err = -1;

/* Report a failure to the monitor (which relays "error CODE MSG" to the engine and records it
 * in the exit file) and exit with the code. */
static void __attribute__((noreturn)) init_fail(int code)
{
    char buf[HUTCH_ERR_MAX + 16];
    snprintf(buf, sizeof buf, "%d %s", code, hutch_err);
    (void)chan_send(chan, CHAN_ERROR, buf, -1);
    if (late_err >= 0)
        dprintf(late_err, "hutch: %s\n", hutch_err);
    _exit(code);
}

static int ns_rank(int nstype)
{
    /* user first (it grants the rights for the others), mnt last (it changes our root). */
    return nstype == CLONE_NEWUSER ? 0 : nstype == CLONE_NEWNS ? 2 : 1;
}

static void join_namespaces(const struct launch *l)
{
    for (int rank = 0; rank <= 2; rank++)
        for (size_t i = 0; i < l->njoins; i++) {
            const struct join_spec *j = &l->joins[i];
            /* pid: the monitor joined it before clone; we are already in it */
            if (ns_rank(j->nstype) != rank || j->nstype == CLONE_NEWPID)
                continue;
            int fd = open(j->path, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                errp("join namespace: open %s", j->path);
                init_fail(125);
            }
            if (setns(fd, j->nstype) < 0) {
                errp("join namespace %s", j->path);
                init_fail(125);
            }
            close(fd);
        }
}

/*
 * OCI: tell the monitor init is ready (it leaves), then block until `oci start` opens the start
 * FIFO for reading, as runc's init does on its exec.fifo. The FIFO was opened O_PATH before
 * pivot_root, when its host path still resolved; reopening it through /proc/self/fd needs the
 * container's /proc.
 */
static void wait_for_start(int start_fd)
{
    (void)chan_send(chan, CHAN_CREATED, NULL, -1);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", start_fd);
    int fd;
    do
        fd = open(path, O_WRONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        errp("open the start fifo through %s (does the container mount /proc?)", path);
        init_fail(125);
    }
    (void)write_all(fd, "0", 1);
    close(fd);
    close(start_fd);
}

static void wait_for_go(void)
{
    char type, text[16];
    int n = chan_recv(chan, &type, text, sizeof text, NULL);
    if (n <= 0 || type != CHAN_GO)
        _exit(125); /* the monitor aborted: it kills us anyway, report nothing */
}

/* Step 5: open the pty inside the container and hand the master to the monitor. */
static int setup_tty(const struct launch *l)
{
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 && errno == ENOENT)
        master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) {
        errp("open /dev/ptmx in the container");
        init_fail(125);
    }
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) {
        errp("unlock pty");
        init_fail(125);
    }
    /* TIOCGPTPEER opens the slave of exactly this master, without a path lookup in /dev/pts
     * that the container could have raced. */
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) {
        unsigned n;
        char path[64];
        if (ioctl(master, TIOCGPTN, &n) < 0) {
            errp("get pty number");
            init_fail(125);
        }
        snprintf(path, sizeof path, "/dev/pts/%u", n);
        slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) {
            errp("open %s", path);
            init_fail(125);
        }
    }
    /* The command's user owns its terminal, as with a login. */
    if (fchown(slave, l->uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM) {
        errp("chown pty");
        init_fail(125);
    }
    if (chan_send(chan, CHAN_TTY, NULL, master) < 0) {
        errp("send pty to monitor");
        init_fail(125);
    }
    close(master);
    /* Wait until the monitor has set the window size, so the command never sees 0x0. */
    char type, text[16];
    int n = chan_recv(chan, &type, text, sizeof text, NULL);
    if (n <= 0 || type != CHAN_ACK)
        _exit(125);
    return slave;
}

/*
 * /proc/1/cmdline and comm are readable by everything in the container even though init is
 * non-dumpable: show "hutch-init" instead of the host path of the helper and of the launch file
 * (which names the state directory). The argv strings are contiguous; nothing points into them
 * any more once the launch file is parsed.
 */
static void set_title(void)
{
    static const char title[] = "hutch-init";
    prctl(PR_SET_NAME, (unsigned long)title, 0, 0, 0);
    if (!helper_argv || !helper_argv[0])
        return;
    char *start = helper_argv[0], *end = start;
    for (int i = 0; helper_argv[i]; i++)
        if (helper_argv[i] == end || i == 0)
            end = helper_argv[i] + strlen(helper_argv[i]) + 1;
    if ((size_t)(end - start) < sizeof title)
        return;
    memset(start, 0, (size_t)(end - start));
    memcpy(start, title, sizeof title);
}

void init_main(const struct launch *l, const struct init_fds *fds)
{
    chan = fds->chan;

    /* Before anything else: nothing in the container may ptrace us or open /proc/1/exe,
     * /proc/1/fd or /proc/1/mem. (runc's nsexec does this first too.) */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    set_title();

    /* Leave the caller's session: a Ctrl-C on the caller's terminal reaches the monitor, which
     * forwards it once; it must not also hit init (and the command) directly. */
    setsid();

    /* The command's stdin: the caller's stdin (docker -i) or /dev/null. Take it before our own
     * stdio goes to /dev/null, so init holds no reference to the caller's terminal or pipes. */
    int in = fds->devnull, out = fds->out, err_fd = fds->err;
    if (l->inherit_stdio && !l->tty) {
        /* OCI: the runtime's own stdio becomes the command's (a caller's pipes or files). */
        in = fcntl(0, F_DUPFD_CLOEXEC, 3);
        out = fcntl(1, F_DUPFD_CLOEXEC, 3);
        err_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
        if (in < 0 || out < 0 || err_fd < 0) {
            errp("dup stdio");
            init_fail(125);
        }
    } else if (l->stdin_open && !l->tty) {
        in = fcntl(0, F_DUPFD_CLOEXEC, 3);
        if (in < 0) {
            errp("dup stdin");
            init_fail(125);
        }
    }
    dup2(fds->devnull, 0);
    dup2(fds->devnull, 1);
    dup2(fds->devnull, 2);

    /* The monitor blocked SIGCHLD and the forwarded signals before clone, so none is lost
     * between clone and here; blocked signals reach PID 1 even though it has no handlers. */
    /* Every signal but the synchronous faults goes to the signalfd and on to the command (as tini
     * does): a PID 1 ignores signals it has no handler for, so whatever `stop --stop-signal` or
     * `kill -s` sends (SIGPWR, SIGRTMIN+3 of systemd images...) would otherwise be lost. */
    sigset_t set;
    sigfillset(&set);
    int sync_faults[] = {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
    for (size_t i = 0; i < sizeof sync_faults / sizeof sync_faults[0]; i++)
        sigdelset(&set, sync_faults[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sigfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sigfd < 0) {
        errp("signalfd");
        init_fail(125);
    }
    /* Setup runs with umask 0 so modes are exactly the plan's; the command gets 022. */
    umask(0);

    /* OCI: the start FIFO by its host path, before a joined mnt namespace or pivot_root hides it. */
    int start_fd = -1;
    if (l->start_fifo && (start_fd = open(l->start_fifo, O_PATH | O_CLOEXEC)) < 0) {
        errp("open start fifo %s", l->start_fifo);
        init_fail(125);
    }

    /* Step 1: join namespaces before anything else (a joined mnt namespace changes our root),
     * then wait until the engine has put us into our cgroups and wired the network. */
    join_namespaces(l);
    /* Not PID 1 (--pid host or container:NAME): the command's orphans would go to someone else's
     * init; as a subreaper we still reap them. */
    if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
        errp("prctl(PR_SET_CHILD_SUBREAPER)");
        init_fail(125);
    }
    wait_for_go();
    if (l->ns_flags & CLONE_NEWUSER) {
        /* The engine wrote uid_map/gid_map before "go": become the namespace's root. EINVAL
         * means root is not mapped; we keep our capabilities in the namespace anyway. */
        if ((setresgid(0, 0, 0) < 0 && errno != EINVAL) || (setresuid(0, 0, 0) < 0 && errno != EINVAL)) {
            errp("become root in the user namespace");
            init_fail(125);
        }
    }
    if (l->has_oom_score_adj && set_oom_score_adj(l->oom_score_adj) < 0)
        init_fail(125);
    /* Only now are we inside the container's cgroups, so only now does a new cgroup namespace
     * get the container's cgroup as its root. That is why cgroup is never a clone flag. */
    if ((l->ns_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
        errp("unshare cgroup namespace");
        init_fail(125);
    }

    /* A network namespace of our own that nobody wires (--network none) still needs lo up; an
     * ioctl here is cheaper than loading netlink in the engine for it. */
    if (l->loopback_up && loopback_up() < 0)
        init_fail(125);

    /* Step 2: "/" private, mount lines in order, devices, symlinks. */
    if (mounts_setup(l) < 0)
        init_fail(125);
    /* Step 3: pivot_root, old root detached, cwd checked. */
    if (mounts_pivot(l->rootfs) < 0)
        init_fail(125);
    /* The working directory is created like docker does, before the rootfs may turn read-only. */
    {
        int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0 || mkdir_in_root(rootfd, l->cwd, 0755) < 0) {
            if (rootfd < 0)
                errp("open /");
            init_fail(125);
        }
        close(rootfd);
    }
    /* Step 4: sysctls, then masked and read-only paths (/proc/sys among them), read-only rootfs, hostname. */
    if (write_sysctls(l) < 0)
        init_fail(125);
    if (mounts_mask_and_protect(l) < 0)
        init_fail(125);
    if (l->readonly_rootfs && mounts_readonly_root() < 0)
        init_fail(125);
    /* Only in a UTS namespace of our own: never rename the host. */
    if (l->hostname && (l->ns_flags & CLONE_NEWUTS) &&
        sethostname(l->hostname, strlen(l->hostname)) < 0) {
        errp("sethostname %s", l->hostname);
        init_fail(125);
    }

    /* Step 5: the pty, opened inside the container (its devpts instance). */
    int slave = l->tty ? setup_tty(l) : -1;
    if (start_fd >= 0) {
        wait_for_start(start_fd);
        /* A copy: init closes its end of the command's stdio below, and keeps this one only
         * until the command is exec'd. */
        if (err_fd >= 0)
            late_err = fcntl(err_fd, F_DUPFD_CLOEXEC, 3);
    }

    /* Step 6: fork the command. The error pipe is O_CLOEXEC: EOF means execve succeeded. */
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) {
        errp("pipe");
        init_fail(125);
    }
    pid_t child = fork();
    if (child < 0) {
        errp("fork");
        init_fail(125);
    }
    if (child == 0) {
        close(ep[0]);
        close(sigfd);
        close(chan);
        struct child_io io = {.in = in, .out = out, .err = err_fd, .tty = slave, .errpipe = ep[1]};
        proc_exec_child(l, &io);
    }
    close(ep[1]);
    /* init keeps no end of the command's stdio: EOF/EIO on them must mean the command is gone. */
    if (slave >= 0)
        close(slave);
    if (out >= 0)
        close(out);
    if (err_fd >= 0)
        close(err_fd);
    if (in != fds->devnull)
        close(in);
    close(fds->devnull);

    int code = proc_read_exec_result(ep[0]);
    close(ep[0]);
    if (code) {
        int st;
        while (waitpid(child, &st, 0) < 0 && errno == EINTR)
            ;
        init_fail(code);
    }
    (void)chan_send(chan, CHAN_STARTED, NULL, -1);
    close(chan);
    if (late_err >= 0) {
        close(late_err);
        late_err = -1;
    }

    /* Step 7: reap every child (orphans are re-parented to us), forward signals to the command,
     * and exit with its status as soon as it exits; the kernel then kills the rest of the
     * namespace. */
    for (;;) {
        struct signalfd_siginfo si;
        ssize_t n = read(sigfd, &si, sizeof si);
        if (n != (ssize_t)sizeof si)
            continue;
        if (si.ssi_signo != SIGCHLD) {
            kill(child, (int)si.ssi_signo);
            continue;
        }
        /* SIGCHLD coalesces: reap everything that is ready. */
        for (;;) {
            int st;
            pid_t p = waitpid(-1, &st, WNOHANG);
            if (p <= 0)
                break;
            if (p == child)
                _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
        }
    }
}
