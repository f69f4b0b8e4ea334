#define _GNU_SOURCE
#include "exec.h"

#include "init.h"
#include "io.h"
#include "process.h"
#include "util.h"
#include "console_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* Join order: user first (it gives the rights over the others' owners), mnt last (after it
 * /proc/PID/... names something else, which is why every fd is opened before the first setns). */
static const struct {
    const char *name;
    int flag;
} order[] = {
    {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
    {"net", CLONE_NEWNET},   {"pid", CLONE_NEWPID},       {"mnt", CLONE_NEWNS},
};
#define NNS (sizeof order / sizeof order[0])

static struct term term = {.fd = -1};

static void __attribute__((noreturn)) die(int code)
{
    term_restore(&term);
    msg("%s", hutch_err);
    _exit(code);
}

static int open_pty(int *slave)
{
    /* After setns(mnt) our root is the container's: this is its devpts instance. */
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 && errno == ENOENT)
        master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return errp("open /dev/ptmx in the container");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        return errp("unlock pty");
    *slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*slave < 0) {
        unsigned n;
        char path[64];
        if (ioctl(master, TIOCGPTN, &n) < 0)
            return errp("get pty number");
        snprintf(path, sizeof path, "/dev/pts/%u", n);
        if ((*slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
            return errp("open %s", path);
    }
    return master;
}

/* OCI --pid-file: its directory, opened while host paths still resolve (before setns(mnt)). */
static int pid_dir = -1;
static const char *pid_name;

static int open_pid_dir(const char *path)
{
    static char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash - path) >= sizeof dir)
        return err("pid file must be an absolute path: %s", path);
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = 0;
    pid_name = slash + 1;
    pid_dir = open(*dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (pid_dir < 0)
        return errp("open the pid file's directory %s", *dir ? dir : "/");
    return 0;
}

/* Written whole under a temporary name, then renamed: a reader never sees half a number. */
static int write_pid_file(pid_t pid)
{
    char tmp[300], buf[32];
    if (snprintf(tmp, sizeof tmp, ".%s.tmp", pid_name) >= (int)sizeof tmp)
        return err("pid file name too long: %s", pid_name);
    int n = snprintf(buf, sizeof buf, "%d", (int)pid);
    int fd = openat(pid_dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return errp("create pid file %s", tmp);
    if (write_all(fd, buf, (size_t)n) < 0) {
        close(fd);
        return errp("write pid file");
    }
    close(fd);
    if (renameat(pid_dir, tmp, pid_dir, pid_name) < 0)
        return errp("rename pid file to %s", pid_name);
    return 0;
}

void exec_main(const struct launch *l)
{
    /* 1. Every namespace fd first, while /proc/PID still means the host's view. */
    int nsfd[NNS];
    for (size_t i = 0; i < NNS; i++) {
        nsfd[i] = -1;
        if (!(l->ns_flags & order[i].flag))
            continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)l->pid, order[i].name);
        if ((nsfd[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
            errp("open %s (is the container running?)", path);
            die(125);
        }
    }
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        errp("open /dev/null");
        die(125);
    }
    if (l->pid_file && open_pid_dir(l->pid_file) < 0)
        die(125);
    /* 2. cgroups, by host path, before the mount namespace changes what paths mean. */
    char pidbuf[32];
    int plen = snprintf(pidbuf, sizeof pidbuf, "%d\n", (int)getpid());
    for (size_t i = 0; i < l->ncgroup_procs; i++)
        if (write_file(l->cgroup_procs[i], pidbuf, (size_t)plen) < 0)
            die(125);
    /* 3. setns, in order. */
    for (size_t i = 0; i < NNS; i++) {
        if (nsfd[i] < 0)
            continue;
        if (setns(nsfd[i], order[i].flag) < 0) {
            errp("join %s namespace of pid %d", order[i].name, (int)l->pid);
            die(125);
        }
        close(nsfd[i]);
    }
    /* We now live in the container's namespaces (a pid namespace only for our children): keep
     * its processes away from our memory and fds. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    int slave = -1, master = -1;
    if (l->tty && (master = open_pty(&slave)) < 0)
        die(125);
    if (slave >= 0 && fchown(slave, l->uid, (gid_t)-1) < 0 && errno != EPERM && errno != EINVAL) {
        errp("chown pty");
        die(125);
    }

    /* OCI: the caller relays the terminal; the slave stays ours until the fork below. */
    if (master >= 0 && l->console_socket) {
        if (console_socket_send(l->console_socket, master) < 0)
            die(125);
        close(master);
        master = -1;
    }

    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    int fwd[] = {FORWARDED_SIGNALS, SIGWINCH, SIGCHLD};
    for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++)
        sigaddset(&set, fwd[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd < 0) {
        errp("signalfd");
        die(125);
    }

    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) {
        errp("pipe");
        die(125);
    }
    /* 4. fork: only a child enters the pid namespace. */
    pid_t child = fork();
    if (child < 0) {
        errp("fork");
        die(125);
    }
    if (child == 0) {
        close(ep[0]);
        struct child_io io = {.in = l->stdin_open ? 0 : devnull, .out = 1, .err = 2, .tty = slave, .errpipe = ep[1]};
        proc_exec_child(l, &io);
    }
    close(ep[1]);
    if (slave >= 0)
        close(slave);
    close(devnull);
    int code = proc_read_exec_result(ep[0]);
    close(ep[0]);
    if (code) {
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
            ;
        die(code);
    }
    /* OCI: the pid a caller waits for. Detached, we leave now: the command is re-parented to the
     * caller (a child subreaper), which reaps it and so gets its exit status. */
    if (l->pid_file && write_pid_file(child) < 0)
        die(125);
    if (l->detach)
        _exit(0);

    /* 5. Relay the pty (if any), forward signals, wait. */
    struct stream out;
    struct inrelay in = {.from = -1, .to = -1};
    stream_init(&out, master, 1, "stdout", NULL);
    if (master >= 0) {
        fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
        term_copy_winsize(master);
        if (l->stdin_open) {
            term_raw(&term, 0);
            in.from = 0;
            in.to = master;
        }
    }
    int status = 0, done = 0;
    while (!done || out.fd >= 0) {
        struct pollfd p[3];
        int np = 0, i_out = -1, i_in = -1;
        p[np++] = (struct pollfd){.fd = sigfd, .events = POLLIN};
        if (out.fd >= 0)
            p[i_out = np++] = (struct pollfd){.fd = out.fd, .events = POLLIN};
        int w = inrelay_wants(&in);
        if (w)
            p[i_in = np++] = (struct pollfd){.fd = w == 1 ? in.from : in.to, .events = w == 1 ? POLLIN : POLLOUT};
        /* Once the command is gone, output still buffered in the pty is drained briefly: a
         * background process of the exec may keep the slave open. */
        int r = poll(p, (nfds_t)np, done ? 100 : -1);
        if (r == 0)
            break;
        if (r < 0)
            continue;
        if (p[0].revents) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
                if (si.ssi_signo == SIGCHLD) {
                    if (!done && waitpid(child, &status, WNOHANG) == child)
                        done = 1;
                } else if (si.ssi_signo == SIGWINCH) {
                    term_copy_winsize(master);
                } else if (!done) {
                    kill(child, (int)si.ssi_signo);
                }
            }
        }
        if (i_out >= 0 && p[i_out].revents)
            stream_pump(&out);
        if (i_in >= 0 && p[i_in].revents) {
            if (w == 1)
                inrelay_read(&in);
            else
                inrelay_write(&in);
        }
    }
    term_restore(&term);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
