#define _GNU_SOURCE
#include "monitor.h"
#include "oom.h"

#include "event.h"
#include "health.h"
#include "proxy.h"
#include "attach.h"
#include "init.h"
#include "io.h"
#include "log.h"
#include "security.h"
#include "sync.h"
#include "rootfs_idmap.h"
#include "console_socket.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After init exits, keep copying output until every stream is closed, but not forever: without
 * a pid namespace a background process may hold a pipe open. */
#define DRAIN_IDLE_MS 100
#define DRAIN_MAX_MS 2000

/* How long the engine may take to open the sync FIFOs, and to say "go" after "pid" (it creates
 * the bridge and NAT rules meanwhile, under host-wide locks other engines may hold). The engine
 * going away ends either wait at once (see sync.c). */
#define CONNECT_TIMEOUT_MS 30000
#define GO_TIMEOUT_MS 120000

static struct {
    const struct launch *l;
    pid_t init;
    int chan, eng, eng_in, sigfd, devnull, master; /* eng: to the engine, eng_in: from it */
    int stdin_w;   /* detached -i without a tty: the write end of the command's stdin pipe */
    struct attach att; /* detached: the attach socket and its clients */
    struct oom_watch oom; /* the kernel's OOM kills in the container's cgroup, as they happen */
    int detached;  /* run -d, or a foreground run whose caller typed the detach keys */
    struct stream out, err;
    struct jwriter *log;
    struct inrelay in;
    struct term term;
    int init_done, status;
    int reported;  /* "started" or "error" sent (or nothing left to send it to) */
    int err_code;  /* an "E" report from init, or our own failure */
    char err_msg[HUTCH_ERR_MAX];
} M;

static void relay_to_attached(int id, const char *p, size_t n);

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void kill_init_and_wait(void)
{
    if (M.init > 0 && !M.init_done) {
        kill(M.init, SIGKILL);
        while (waitpid(M.init, &M.status, 0) < 0 && errno == EINTR)
            ;
        M.init_done = 1;
    }
}

/* The engine said abort, or went away before "go": a half-made container never runs, and the
 * monitor writes nothing else (the engine undoes its own steps). */
static void __attribute__((noreturn)) abort_start(void)
{
    kill_init_and_wait();
    _exit(125);
}

/* state_dir/exit, atomically: exit.tmp, fsync, rename, fsync of the directory. */
static void write_exit_file(int code, int sig, const char *error, int oom_killed)
{
    char tmp[PATH_MAX], dst[PATH_MAX], num[64], ts[40];
    if (snprintf(tmp, sizeof tmp, "%s/exit.tmp", M.l->state_dir) >= (int)sizeof tmp ||
        snprintf(dst, sizeof dst, "%s/exit", M.l->state_dir) >= (int)sizeof dst) {
        msg("state_dir too long");
        return;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        errp("create %s", tmp);
        msg("%s", hutch_err);
        return;
    }
    struct jwriter w;
    jw_init(&w, fd);
    rfc3339_now(ts);
    int n = snprintf(num, sizeof num, "{\"exitCode\":%d,\"finishedAt\":\"", code);
    jw_raw(&w, num, (size_t)n);
    jw_raw(&w, ts, strlen(ts));
    jw_raw(&w, "\",\"oomKilled\":", 14);
    if (oom_killed)
        jw_raw(&w, "true", 4);
    else
        jw_raw(&w, "false", 5);
    if (sig) {
        n = snprintf(num, sizeof num, ",\"signal\":%d", sig);
        jw_raw(&w, num, (size_t)n);
    }
    if (error) {
        jw_raw(&w, ",\"error\":\"", 10);
        jw_escaped(&w, error, strlen(error));
        jw_raw(&w, "\"", 1);
    }
    jw_raw(&w, "}\n", 2);
    if (jw_flush(&w) < 0 || fsync(fd) < 0) {
        errp("write %s", tmp);
        msg("%s", hutch_err);
        close(fd);
        return;
    }
    close(fd);
    if (rename(tmp, dst) < 0) {
        errp("rename %s", tmp);
        msg("%s", hutch_err);
        return;
    }
    int dfd = open(M.l->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

/* podman's exit command: after the exit file, hutch's own cleanup for this container (e.g. the
 * removal of a detached --rm container). It runs detached from us, in its own session with
 * /dev/null for stdio, and we do not wait: the monitor's job ends with the exit file. */
static void run_exit_command(void)
{
    if (!M.l->nexit_args)
        return;
    /* The restart policy's mark: `update --restart no` takes it away, another policy puts it back. */
    if (M.l->exit_when && access(M.l->exit_when, F_OK) != 0)
        return;
    pid_t pid = fork();
    if (pid != 0)
        return; /* our exit reparents it; a failed fork leaves the container for `rm` */
    setsid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
    }
    CLOSE_ALL_ABOVE(3);
    extern char **environ;
    execve(M.l->exit_args[0], M.l->exit_args, environ);
    _exit(127);
}

/* Tell the engine how the start went, once; then the sync socket is done. */
static void report(int code, const char *message)
{
    if (M.reported)
        return;
    M.reported = 1;
    if (M.eng >= 0) {
        if (code == 0)
            (void)sync_send_line(M.eng, "started");
        else
            (void)sync_send_line(M.eng, "error %d %s", code, message);
        close(M.eng_in);
        M.eng_in = -1;
        /* Foreground with detach keys: the engine keeps listening for "detached" (its end of
         * file is our exit). */
        if (code != 0 || M.detached || !M.l->ndetach_keys) {
            close(M.eng);
            M.eng = -1;
        }
    }
    if (M.l->detach) {
        /* Detached: from here on the monitor holds nothing of its caller (a pipe kept open
         * would keep the engine's reader waiting until the container exits). */
        dup2(M.devnull, 0);
        dup2(M.devnull, 1);
        dup2(M.devnull, 2);
    }
}

/* A failure of the monitor itself before the command started: report, record, exit 125. */
static void __attribute__((noreturn)) fail_start(void)
{
    kill_init_and_wait();
    snprintf(M.err_msg, sizeof M.err_msg, "%s", hutch_err);
    /* Once connected, the engine prints it (printing here too doubled it); before that, nobody
     * else can tell the user. */
    if (M.eng < 0)
        msg("%s", M.err_msg);
    report(125, M.err_msg);
    write_exit_file(125, 0, M.err_msg, oom_kills(M.l->oom_file) > 0);
    _exit(125);
}

static void on_chan(void)
{
    char type, text[HUTCH_ERR_MAX + 16];
    int fd = -1;
    int n = chan_recv(M.chan, &type, text, sizeof text, &fd);
    if (n <= 0) {
        /* init exited (or closed its end after "started"). */
        close(M.chan);
        M.chan = -1;
        return;
    }
    switch (type) {
    case CHAN_TTY:
        if (fd < 0 || M.master >= 0) {
            if (fd >= 0)
                close(fd);
            break;
        }
        if (M.l->console_socket) {
            /* OCI: the caller relays the terminal; we keep no copy of the master. */
            int rc = console_socket_send(M.l->console_socket, fd);
            close(fd);
            if (rc < 0)
                fail_start();
            (void)chan_send(M.chan, CHAN_ACK, NULL, -1);
            break;
        }
        M.master = fd;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (!M.l->detach) {
            term_copy_winsize(fd);
            /* Raw mode only when our stdin goes to the command (docker -it): with -t alone the
             * terminal stays cooked, so Ctrl-C still signals us and we forward it. */
            if (M.l->stdin_open && !(M.l->quiet_streams & QUIET_STDIN)) {
                term_raw(&M.term, 0);
                M.in.from = 0;
                M.in.to = fd;
                M.in.keys = M.l->detach_keys;
                M.in.nkeys = M.l->ndetach_keys;
            }
        }
        if (stream_init(&M.out, fd, M.l->detach || (M.l->quiet_streams & QUIET_STDOUT) ? -1 : 1, "stdout", M.log) < 0) {
            fail_start();
        }
        M.out.id = 1;
        if (M.l->detach)
            M.out.on_data = relay_to_attached;
        (void)chan_send(M.chan, CHAN_ACK, NULL, -1);
        break;
    case CHAN_STARTED:
        report(0, NULL);
        break;
    case CHAN_CREATED:
        /* OCI create: init is set up and waits for `oci start`. The monitor's job ends here:
         * its exit re-parents init to the caller (a child subreaper such as conmon or
         * containerd's shim), which reaps it and so gets the container's exit status. */
        report(0, NULL);
        _exit(0);
    case CHAN_ERROR: {
        char *sp = strchr(text, ' ');
        M.err_code = atoi(text);
        if (M.err_code < 1 || M.err_code > 255)
            M.err_code = 125;
        snprintf(M.err_msg, sizeof M.err_msg, "%s", sp ? sp + 1 : "container setup failed");
        /* The engine prints the reason once (it gets it through report()). */
        report(M.err_code, M.err_msg);
        break;
    }
    default:
        if (fd >= 0)
            close(fd);
    }
}

/* What attach clients type goes to the command's stdin: its pty, or its pipe (only with -i). */
static int attach_input(void)
{
    if (!M.l->stdin_open)
        return -1;
    return M.master >= 0 ? M.master : M.stdin_w;
}

static void relay_to_attached(int id, const char *p, size_t n)
{
    attach_broadcast(&M.att, id, p, n);
}

static void on_signal(void)
{
    struct signalfd_siginfo si;
    while (read(M.sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
        int sig = (int)si.ssi_signo;
        if (sig == SIGCHLD) {
            if (!M.init_done && waitpid(M.init, &M.status, WNOHANG) == M.init)
                M.init_done = 1;
            health_reap();
        } else if (sig == SIGWINCH) {
            /* The caller's terminal (hutch run -t, or the API's pty after a resize request) changed
             * size: the container's follows, and that is docker's resize event. */
            struct winsize ws;
            if (!M.detached && term_copy_winsize_to(M.master, &ws) == 0) {
                char attrs[64];
                snprintf(attrs, sizeof attrs, "\"height\":\"%u\",\"width\":\"%u\"", (unsigned)ws.ws_row, (unsigned)ws.ws_col);
                event_append(M.l, "resize", -1, attrs);
            }
        } else if (!M.init_done) {
            kill(M.init, sig);
        }
    }
}

/*
 * The caller typed the detach keys (docker run -it, ctrl-p ctrl-q): from now on the monitor runs
 * as a detached one would (run -d): its caller's terminal restored and let go, output only to the
 * log and attach clients, the attach socket listening, and the engine told "detached" so that
 * the caller ends (exit 0) while the container runs on. The `detached` file in the state dir says
 * so to the exit command's `exit_when` (a foreground --rm is removed by it from now on).
 */
static void detach_from_caller(void)
{
    M.detached = 1;
    M.in.from = -1;
    term_restore(&M.term);
    M.out.tee = M.err.tee = -1;
    M.out.on_data = M.err.on_data = relay_to_attached;
    dup2(M.devnull, 0);
    dup2(M.devnull, 1);
    dup2(M.devnull, 2);
    setsid(); /* out of the caller's session: its terminal's hangup never reaches us (fails harmlessly if own_session did it) */
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/detached", M.l->state_dir) < (int)sizeof path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
    /* stderr is /dev/null now: a failure leaves the container running, only not attachable */
    if (!M.l->console_socket && !M.l->inherit_stdio)
        (void)attach_listen(&M.att, M.l->state_dir);
    if (M.eng >= 0) {
        (void)sync_send_line(M.eng, "detached");
        close(M.eng);
        M.eng = -1;
    }
}

static void loop(void)
{
    long drain_start = 0, last_data = 0;
    for (;;) {
        /* Not before "started": the engine hears "detached" only after it (keys typed while
         * the container starts wait for it). */
        if (M.in.detached && !M.detached && M.reported)
            detach_from_caller();
        int streams_open = M.out.fd >= 0 || M.err.fd >= 0;
        if (M.init_done) {
            health_end(); /* no check of a container that is gone */
            proxy_end();  /* nor a [::1] listener */
        }
        else
            health_tick();
        if (M.init_done && M.chan < 0) {
            long t = now_ms();
            if (!drain_start)
                drain_start = last_data = t;
            if (!streams_open || t - last_data >= DRAIN_IDLE_MS || t - drain_start >= DRAIN_MAX_MS)
                return;
        }
        struct pollfd p[8 + PROXY_MAX_FDS + ATTACH_MAX];
        int np = 0, i_sig, i_chan = -1, i_out = -1, i_err = -1, i_in = -1, i_health = -1, i_att = -1, i_oom = -1;
        p[i_sig = np++] = (struct pollfd){.fd = M.sigfd, .events = POLLIN};
        if (M.chan >= 0)
            p[i_chan = np++] = (struct pollfd){.fd = M.chan, .events = POLLIN};
        if (M.out.fd >= 0)
            p[i_out = np++] = (struct pollfd){.fd = M.out.fd, .events = POLLIN};
        if (M.err.fd >= 0)
            p[i_err = np++] = (struct pollfd){.fd = M.err.fd, .events = POLLIN};
        int w = inrelay_wants(&M.in);
        if (w == 1)
            p[i_in = np++] = (struct pollfd){.fd = M.in.from, .events = POLLIN};
        else if (w == 2)
            p[i_in = np++] = (struct pollfd){.fd = M.in.to, .events = POLLOUT};
        if (health_fd() >= 0)
            p[i_health = np++] = (struct pollfd){.fd = health_fd(), .events = POLLIN};
        if (M.oom.fd >= 0 && !M.init_done)
            p[i_oom = np++] = (struct pollfd){.fd = M.oom.fd, .events = POLLIN};
        int i_proxy = np, nproxy = proxy_fill(p + np, PROXY_MAX_FDS);
        np += nproxy;
        if (M.att.listen_fd >= 0)
            i_att = attach_poll_add(&M.att, p, &np);
        int timeout = M.init_done && M.chan < 0 ? DRAIN_IDLE_MS : -1;
        int hw = M.init_done ? -1 : health_wait_ms();
        if (hw >= 0 && (timeout < 0 || hw < timeout))
            timeout = hw;
        int pw = M.init_done ? -1 : proxy_wait_ms(); /* a UDP flow's idle timeout */
        if (pw >= 0 && (timeout < 0 || pw < timeout))
            timeout = pw;
        int ow = M.init_done ? -1 : oom_watch_wait_ms(&M.oom, now_ms()); /* v1: the kill after its signal */
        if (ow >= 0 && (timeout < 0 || ow < timeout))
            timeout = ow;
        int r = poll(p, (nfds_t)np, timeout);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            errp("poll");
            msg("%s", hutch_err);
            return;
        }
        if (p[i_sig].revents)
            on_signal();
        if (i_health >= 0 && p[i_health].revents && health_fd() == p[i_health].fd)
            health_read();
        if (i_chan >= 0 && p[i_chan].revents)
            on_chan();
        if (!M.init_done && oom_watch_check(&M.oom, i_oom >= 0 && p[i_oom].revents, now_ms()) > 0)
            event_append(M.l, "oom", -1, NULL); /* docker's oom, as the kernel kills */
        if (!M.init_done)
            proxy_handle(p + i_proxy, nproxy);
        /* Output before anything else reads as data: a stream is only closed at EOF, so POLLHUP
         * is handled by reading until read() returns 0. */
        if (i_out >= 0 && p[i_out].revents && M.out.fd == p[i_out].fd && stream_pump(&M.out) > 0)
            last_data = now_ms();
        if (i_err >= 0 && p[i_err].revents && M.err.fd == p[i_err].fd && stream_pump(&M.err) > 0)
            last_data = now_ms();
        if (i_att >= 0)
            attach_poll_done(&M.att, p, i_att, attach_input());
        if (i_in >= 0 && p[i_in].revents) {
            if (w == 1)
                inrelay_read(&M.in);
            else
                inrelay_write(&M.in);
            if (M.in.detached)
                M.in.from = -1; /* nothing more of the caller's stdin; acted on at the loop's top */
        }
    }
}

void monitor_main(const struct launch *l)
{
    memset(&M, 0, sizeof M);
    M.l = l;
    M.detached = l->detach;
    M.chan = M.eng = M.eng_in = M.master = M.stdin_w = -1;
    M.oom.fd = -1;
    attach_init(&M.att);
    M.out.fd = M.err.fd = -1;
    M.in.from = M.in.to = -1;
    M.term.fd = -1;

    /* Detached: our own session, so the caller's terminal hangup or Ctrl-C never reaches us. */
    if (l->detach || l->own_session)
        setsid();

    /* A vanished reader of our stdout must not kill the monitor (the child resets this). */
    signal(SIGPIPE, SIG_IGN);
    /* Block before clone so init inherits the mask and no signal is lost in between. */
    sigset_t set;
    sigemptyset(&set);
    int fwd[] = {FORWARDED_SIGNALS, SIGWINCH, SIGCHLD};
    for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++)
        sigaddset(&set, fwd[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    M.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (M.sigfd < 0) {
        errp("signalfd");
        fail_start();
    }
    M.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (M.devnull < 0) {
        errp("open /dev/null");
        fail_start();
    }

    static struct jwriter logw; /* static: 2 KiB that only exists with a log */
    if (l->log_path) {
        int fd = open(l->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (fd < 0) {
            errp("open log %s", l->log_path);
            fail_start();
        }
        jw_init_log(&logw, fd, l->log_path, l->log_max_size, l->log_max_files);
        M.log = &logw;
    }

    int sp[2], outp[2] = {-1, -1}, errpp[2] = {-1, -1};
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
        errp("socketpair");
        fail_start();
    }
    if (!l->tty && !l->inherit_stdio && (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errpp, O_CLOEXEC) < 0)) {
        errp("pipe");
        fail_start();
    }
    /* docker -di: the command reads a pipe the monitor keeps open, attach clients write to it. */
    int inp[2] = {-1, -1};
    if (l->detach && l->stdin_open && !l->tty && !l->inherit_stdio && pipe2(inp, O_CLOEXEC) < 0) {
        errp("pipe");
        fail_start();
    }

    /* OCI: the FIFO `oci start` opens; init opens it O_PATH right after the clone. */
    if (l->start_fifo && mkfifo(l->start_fifo, 0600) < 0) {
        errp("mkfifo %s", l->start_fifo);
        fail_start();
    }

    /* A joined pid namespace (--pid container:NAME): setns moves only the children of the
     * caller, so the monitor enters it for the clone below and itself stays where it is. */
    for (size_t i = 0; i < l->njoins; i++) {
        if (l->joins[i].nstype != CLONE_NEWPID)
            continue;
        int nsfd = open(l->joins[i].path, O_RDONLY | O_CLOEXEC);
        if (nsfd < 0 || setns(nsfd, CLONE_NEWPID) < 0) {
            errp("join pid namespace %s", l->joins[i].path);
            fail_start();
        }
        close(nsfd);
    }
    /* cgroup is never a clone flag: init unshares it after "go" (see init.c step 1). */
    unsigned long flags = (unsigned long)(l->ns_flags & ~CLONE_NEWCGROUP) | SIGCHLD;
    /* Raw clone with fork semantics (no new stack): the child continues right here with a copy
     * of our memory, like fork(), but in the new namespaces. */
    pid_t pid = (pid_t)syscall(SYS_clone, flags, 0, 0, 0, 0);
    if (pid < 0) {
        errp("clone");
        fail_start();
    }
    if (pid == 0) {
        /* init: drop every monitor-only fd right away. */
        close(sp[0]);
        if (outp[0] >= 0)
            close(outp[0]);
        if (errpp[0] >= 0)
            close(errpp[0]);
        close(M.sigfd);
        if (M.log)
            close(M.log->fd);
        if (!l->detach && (l->quiet_streams & QUIET_STDIN))
            dup2(M.devnull, 0); /* -a without stdin: the command reads nothing of the caller's */
        if (inp[0] >= 0) {
            /* init takes its command's stdin from fd 0 (init.c) */
            dup2(inp[0], 0);
            close(inp[0]);
            close(inp[1]);
        }
        struct init_fds fds = {.chan = sp[1], .out = outp[1], .err = errpp[1], .devnull = M.devnull};
        init_main(l, &fds);
    }
    M.init = pid;
    M.chan = sp[0];
    close(sp[1]);
    if (inp[0] >= 0) {
        close(inp[0]);
        M.stdin_w = inp[1];
        fcntl(M.stdin_w, F_SETFL, fcntl(M.stdin_w, F_GETFL) | O_NONBLOCK);
    }
    if (!l->tty && !l->inherit_stdio) {
        close(outp[1]);
        close(errpp[1]);
        int fg = !l->detach;
        int out_to = fg && !(l->quiet_streams & QUIET_STDOUT) ? 1 : -1, err_to = fg && !(l->quiet_streams & QUIET_STDERR) ? 2 : -1;
        if (stream_init(&M.out, outp[0], out_to, "stdout", M.log) < 0 ||
            stream_init(&M.err, errpp[0], err_to, "stderr", M.log) < 0)
            fail_start();
        M.out.id = 1;
        M.err.id = 2;
        if (l->detach)
            M.out.on_data = M.err.on_data = relay_to_attached;
    }

    /* The v2 device rules before anything joins the cgroup (v1's devices files are the engine's). */
    if (l->device_bpf_cgroup && cgroup_device_attach(l->device_bpf_cgroup, &l->device_bpf) < 0)
        fail_start();

    /* Into the container's cgroups before the engine hears the pid: init does nothing until
     * "go", so everything the container ever does is accounted there. */
    char pidbuf[32];
    int plen = snprintf(pidbuf, sizeof pidbuf, "%d\n", (int)pid);
    for (size_t i = 0; i < l->ncgroup_procs; i++)
        if (write_file(l->cgroup_procs[i], pidbuf, (size_t)plen) < 0)
            fail_start();

    if (sync_open(l->sync_fifo, l->engine_pid, CONNECT_TIMEOUT_MS, &M.eng_in, &M.eng) < 0)
        fail_start();
    if (sync_send_line(M.eng, "pid %d", (int)pid) < 0)
        abort_start();
    /* The engine now creates and wires the network (and writes uid/gid maps). Signals stay
     * queued in the signalfd meanwhile and are forwarded once the command runs. */
    char line[64];
    int n = sync_await_line(M.eng_in, line, sizeof line, l->engine_pid, GO_TIMEOUT_MS);
    if (n <= 0 || strcmp(line, "go") != 0)
        abort_start(); /* "abort", EOF, or garbage: never run a half-made container */
    /* With a user namespace: the maps exist now, so the layers can be idmapped for it. */
    if ((l->nidmap_layers || l->rootfs_overlay || l->nidmap_binds) && rootfs_idmap_mount(l, pid) < 0)
        fail_start();
    if (chan_send(M.chan, CHAN_GO, NULL, -1) < 0) {
        /* init already died (e.g. a join_ns failure): its report or exit status follows. */
    }
    health_begin(l, M.devnull);
    oom_watch_open(&M.oom, l->oom_file);
    if (l->proxy6_file)
        proxy_begin(l->proxy6_file);

    /* Detached (not OCI, whose caller relays the stdio): clients can attach from now on; the
     * socket exists before the engine hears "started", so an attach right after run -d finds it. */
    if (l->detach && !l->console_socket && !l->inherit_stdio && attach_listen(&M.att, l->state_dir) < 0)
        fail_start();

    loop();

    /* init is gone and the output is copied: attached clients see their connection end. */
    attach_close(&M.att, l->state_dir);
    term_restore(&M.term);
    if (M.log) {
        stream_close(&M.out);
        stream_close(&M.err);
        jw_flush(M.log);
    }
    int code, sig = 0;
    if (WIFSIGNALED(M.status)) {
        sig = WTERMSIG(M.status);
        code = 128 + sig;
    } else {
        code = WEXITSTATUS(M.status);
    }
    const char *error = NULL;
    if (M.err_code) {
        code = M.err_code;
        error = M.err_msg;
    } else if (!M.reported) {
        /* init died before the command started (killed, or OOM during setup). */
        snprintf(M.err_msg, sizeof M.err_msg, "container init exited before the command started (%s %d)",
                 sig ? "signal" : "status", sig ? sig : code);
        error = M.err_msg;
        report(sig ? 125 : (code ? code : 125), M.err_msg);
        if (!sig && !code)
            code = 125;
    }
    /* OOMKilled: any kill in this run's cgroup. The oom event for kills the loop has not
     * written yet (the last one often lands as init ends). */
    int oom = oom_kills(M.l->oom_file) > 0;
    int unreported = oom_watch_check(&M.oom, 1, now_ms()) > 0;
    oom_watch_close(&M.oom);
    write_exit_file(code, sig, error, oom);
    if (!error) {
        /* A start that failed was undone: the container never started, and has no events here.
         * The journal's own lines, as docker orders them: the oom, then the die (see
         * event.h; the engine prepared the rest of the line in the launch file). */
        if (unreported)
            event_append(M.l, "oom", -1, NULL);
        event_append(M.l, "die", code, NULL);
    }
    run_exit_command();
    _exit(code);
}
