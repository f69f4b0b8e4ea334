/*
 * hutch-client: what `./hutch` execs. It hands the command to the warm engine service (one JVM
 * that runs the CLI per request) over a root-only unix socket, passing its own fds 0, 1, 2, so a
 * command skips the JVM's start-up. Whenever the service cannot be used, it execs the cold java
 * command line instead: the in-process CLI, exactly as before the service existed.
 *
 *   hutch-client --socket PATH --log FILE --cold N ARG1..ARGN --service M ARG1..ARGM -- USER_ARGS...
 *
 * The contract with the service: docs/engine-service.md.
 */
#define _GNU_SOURCE
#include "stale_check.h"
#include "wire.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define START_TIMEOUT_MS 20000
#define CONNECT_POLL_MS 2
/* Outcomes of one attempt besides an exit code (0..255). */
#define RETRY (-1)    /* the service answered 'R' */
#define NOT_SENT (-2) /* the request never reached the service whole: running it cold is safe */
#define REBUILD (-3)  /* the service answered 'B': a source of this checkout changed since its build */
#define OTHER_BUILD (-4) /* the service answered 'N': it runs another checkout's build */

static struct client_args args;
static char **cold_argv;
static bool trace;

static const int forwarded[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGWINCH};
static int sig_r = -1, sig_w = -1;

/* Why the service was not used, for HUTCH_TRACE=1 only: falling back is normal, not an error. */
static void note(const char *fmt, ...)
{
    if (!trace) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fputs("hutch-client: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* `hutch --rebuild ARGS`, which builds and runs the command; it never asks again, so no loop. */
static _Noreturn void exec_rebuild(void)
{
    char **rebuild = join_argv(args.rebuild, args.nrebuild, args.user, args.nuser);
    if (rebuild) {
        execv(rebuild[0], rebuild);
    }
    fprintf(stderr, "hutch-client: cannot run %s to rebuild hutch: %s\n", args.rebuild[0], strerror(errno));
    exit(125);
}

static _Noreturn void exec_cold(const char *why)
{
    if (why) {
        note("running in-process: %s", why);
    }
    /* Without the service nobody else answers the launcher's "is the build stale?": the walk.
     * Only "stale" rebuilds; "cannot tell" runs as built. */
    if (args.stamp && args.nsources > 0 && stale_check(args.stamp, args.sources, args.nsources) == 0) {
        exec_rebuild();
    }
    execvp(cold_argv[0], cold_argv);
    fprintf(stderr, "hutch: cannot run %s: %s; put a JDK's java on PATH\n", cold_argv[0], strerror(errno));
    exit(127);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static bool nobody_listens(int err)
{
    return err == ENOENT || err == ECONNREFUSED;
}

/* A connected socket to a service run by root, or -1 with errno (EPERM: the peer is not root). */
static int connect_once(void)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(args.socket_path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(a.sun_path, args.socket_path);
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            int e = errno;
            close(fd);
            if (e == EINTR) {
                continue; /* an interrupted connect may still complete; a fresh socket is simpler */
            }
            errno = e;
            return -1;
        }
        /* Whoever owns the socket gets our fds and environment: only root may. */
        struct ucred cred = {.uid = (uid_t)-1};
        socklen_t len = sizeof cred;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != 0) {
            note("the process listening on %s runs as uid %d, not root", args.socket_path, (int)cred.uid);
            close(fd);
            errno = EPERM;
            return -1;
        }
        return fd;
    }
}

/* mkdir -p of path's parent, 0700 for what it creates (the service keeps its socket there). */
static void make_parent(const char *path)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
        return;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        return;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    mkdir(dir, 0700);
}

static void close_from_3(void)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) {
        return;
    }
#endif
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        for (int fd = 3; fd < 1024; fd++) {
            close(fd);
        }
        return;
    }
    int keep = dirfd(d);
    struct dirent *e;
    /* Collect first: closing while reading the directory would skip entries. */
    int fds[1024], n = 0;
    while ((e = readdir(d)) && n < 1024) {
        int fd = atoi(e->d_name);
        if (fd > 2 && fd != keep) {
            fds[n++] = fd;
        }
    }
    closedir(d);
    for (int i = 0; i < n; i++) {
        close(fds[i]);
    }
}

/* Forks the service: its own session (a ^C at this terminal is not for it), cwd /, stdin
 * /dev/null, stdout and stderr appended to the log, no other fd, default signal dispositions.
 * Returns its pid, or -1. */
static pid_t spawn_service(void)
{
    make_parent(args.log_path);
    int log = open(args.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (log < 0) {
        note("cannot open the engine log %s: %s", args.log_path, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid != 0) {
        close(log);
        return pid;
    }
    setsid();
    int null = open("/dev/null", O_RDONLY);
    if (chdir("/") != 0 || null < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0) {
        _exit(127);
    }
    close_from_3();
    /* A shell runs `cmd &` with SIGINT and SIGQUIT ignored; the JVM then leaves them ignored, and
     * the service would inherit that from whichever client happened to start it. */
    for (int s = 1; s < NSIG; s++) {
        signal(s, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    char **argv = join_argv(args.service, args.nservice, NULL, 0);
    if (argv) {
        execvp(argv[0], argv);
    }
    fprintf(stderr, "hutch-client: cannot run the engine service %s: %s\n", args.service[0], strerror(errno));
    _exit(127);
}

/* Nobody listened: start the service, once for many clients starting together (they queue on the
 * lock; the first starts it, the others find it listening). A connected fd, or -1. */
static int start_and_connect(void)
{
    char lock_path[PATH_MAX];
    if (snprintf(lock_path, sizeof lock_path, "%s.lock", args.socket_path) >= (int)sizeof lock_path) {
        return -1;
    }
    make_parent(args.socket_path);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (lock < 0) {
        note("cannot open %s: %s", lock_path, strerror(errno));
        return -1;
    }
    while (flock(lock, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(lock);
            return -1;
        }
    }
    int fd = connect_once();
    if (fd >= 0 || !nobody_listens(errno)) {
        close(lock);
        return fd;
    }
    pid_t pid = spawn_service();
    long deadline = now_ms() + START_TIMEOUT_MS;
    while (pid > 0) {
        fd = connect_once();
        if (fd >= 0 || !nobody_listens(errno)) {
            break;
        }
        /* A service that died (no java, a broken jar) is not waited for 20 s, on every call. */
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            /* It may have found another service listening (one that bound its socket just as we
             * first tried it), and left: that one will do. */
            if ((fd = connect_once()) >= 0) {
                break;
            }
            note("the engine service exited (%s %d) before listening; its log: %s",
                 WIFEXITED(status) ? "status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                 args.log_path);
            break;
        }
        if (now_ms() >= deadline) {
            note("the engine service did not listen within %d ms; its log: %s", START_TIMEOUT_MS, args.log_path);
            break;
        }
        struct timespec t = {0, CONNECT_POLL_MS * 1000000L};
        nanosleep(&t, NULL);
    }
    close(lock);
    return fd;
}

static void on_signal(int signo)
{
    int saved = errno;
    unsigned char s = (unsigned char)signo;
    /* Non-blocking: a full pipe drops a signal rather than hanging the handler. */
    ssize_t ignored = write(sig_w, &s, 1);
    (void)ignored;
    errno = saved;
}

static void forward_signals(bool on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        sigaction(forwarded[i], &sa, NULL);
    }
}

/* After an answer 'X' or 'R' sent instead of reading the whole request (e.g. "root only"). */
static int answer_after_failed_send(int fd)
{
    shutdown(fd, SHUT_WR);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (poll(&p, 1, 2000) > 0) {
        char type, *payload;
        uint32_t len;
        if (frame_read(fd, &type, &payload, &len) != 1) {
            break;
        }
        char t = type;
        long code = strtol(payload, NULL, 10);
        free(payload);
        if (t == 'X') {
            return (int)(code & 0xff);
        }
        if (t == 'R') {
            return RETRY;
        }
    }
    return NOT_SENT;
}

static _Noreturn void service_gone(const char *what)
{
    fprintf(stderr, "hutch: the engine service %s while running this command (its log: %s)\n", what,
            args.log_path);
    exit(125);
}

/* One request on a connected socket: an exit code, RETRY or NOT_SENT. */
static int run_request(int fd, const struct buf *request)
{
    if (send_hello(fd) != 0) {
        /* EBADF: one of our fds 0-2 is closed, and cannot be passed; the cold path copes. */
        return errno == EPIPE || errno == ECONNRESET ? answer_after_failed_send(fd) : NOT_SENT;
    }
    if (write_all(fd, request->data, request->len) != 0) {
        return answer_after_failed_send(fd);
    }
    bool forwarding = true;
    for (;;) {
        struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = forwarding ? sig_r : -1, .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            service_gone("could not be read");
        }
        if (p[1].revents & POLLIN) {
            unsigned char sigs[64];
            ssize_t n = read(sig_r, sigs, sizeof sigs);
            for (ssize_t i = 0; i < n && forwarding; i++) {
                struct buf b = {0};
                char num[12];
                int len = snprintf(num, sizeof num, "%d", sigs[i]);
                /* A failed write means the service went away: its answer or EOF follows. */
                if (buf_frame(&b, 'S', num, (size_t)len) != 0 || write_all(fd, b.data, b.len) != 0) {
                    forwarding = false;
                }
                buf_free(&b);
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char type, *payload;
            uint32_t len;
            int r = frame_read(fd, &type, &payload, &len);
            if (r == 0 || (r < 0 && errno == ECONNRESET)) {
                service_gone("stopped");
            }
            if (r < 0) {
                service_gone(errno == EPROTO ? "sent a broken reply" : "could not be read");
            }
            if (type == 'X') {
                char *end;
                long code = strtol(payload, &end, 10);
                bool ok = len > 0 && *end == '\0' && code >= 0 && code <= 255;
                free(payload);
                if (!ok) {
                    service_gone("sent a broken exit code");
                }
                return (int)code;
            }
            free(payload);
            if (type == 'R') {
                return RETRY;
            }
            if (type == 'B') {
                return REBUILD;
            }
            if (type == 'N') {
                return OTHER_BUILD;
            }
            /* Any other type is from a newer service: not ours to act on. */
        }
    }
}

/* Between a retry's two attempts the service may need starting again (up to 20 s): the user's
 * ^C meanwhile should stop the client as it would have stopped the cold CLI. */
static void deliver_pending_signals(void)
{
    forward_signals(false);
    unsigned char sigs[64];
    ssize_t n;
    while ((n = read(sig_r, sigs, sizeof sigs)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (sigs[i] != SIGWINCH) {
                raise(sigs[i]);
            }
        }
    }
}

/* HUTCH_BUILD_STAMP and HUTCH_BUILD_SOURCES (newline-separated), as the service reads them. */
static int export_build(const struct client_args *a)
{
    size_t len = 1;
    for (int i = 0; i < a->nsources; i++) {
        len += strlen(a->sources[i]) + 1;
    }
    char *joined = calloc(1, len);
    if (!joined) {
        return -1;
    }
    for (int i = 0; i < a->nsources; i++) {
        if (i > 0) {
            strcat(joined, "\n");
        }
        strcat(joined, a->sources[i]);
    }
    int r = setenv("HUTCH_BUILD_STAMP", a->stamp, 1) || setenv("HUTCH_BUILD_SOURCES", joined, 1);
    free(joined);
    return r;
}

int main(int argc, char **argv)
{
    char err[256];
    if (argc >= 3 && strcmp(argv[1], "--newer-than") == 0) return stale_check(argv[2], argv + 3, argc - 3);
    if (parse_client_args(argc, argv, &args, err, sizeof err) != 0) {
        fprintf(stderr,
                "hutch-client: %s; usage: hutch-client --socket PATH --log FILE --cold N ARGS... "
                "--service M ARGS... -- USER_ARGS...\n",
                err);
        return 125;
    }
    trace = getenv("HUTCH_TRACE") && strcmp(getenv("HUTCH_TRACE"), "1") == 0;
    /* The launcher's build (--stamp) and its "is the build stale?" (--sources, none when the
     * launcher has just checked): the service answers it from its inotify watch of the sources,
     * so the request carries the stamp and the sources in its environment; the stamp alone tells
     * the service whether it runs this checkout's build (the service started from here inherits
     * it: its own checkout). Whenever the command runs cold instead, exec_cold walks the sources. */
    if (args.stamp && export_build(&args) != 0) {
        fprintf(stderr, "hutch-client: out of memory\n");
        return 125;
    }
    cold_argv = join_argv(args.cold, args.ncold, args.user, args.nuser);
    if (!cold_argv) {
        fprintf(stderr, "hutch-client: out of memory\n");
        return 125;
    }
    const char *mode = getenv("HUTCH_ENGINE");
    if (mode && strcmp(mode, "off") == 0) {
        exec_cold(NULL);
    }
    /* The service is root's; another user's command runs as that user, in-process. */
    if (geteuid() != 0) {
        exec_cold(NULL);
    }
    /* "engine stop|status" with nobody listening: the in-process command says "not running". */
    bool may_start = !(args.nuser >= 2 && strcmp(args.user[0], "engine") == 0
                       && (strcmp(args.user[1], "stop") == 0 || strcmp(args.user[1], "status") == 0));

    /* A closed fd 0-2 cannot be passed, and our socket would take its number and be passed instead. */
    for (int i = 0; i < 3; i++) {
        if (fcntl(i, F_GETFD) < 0) {
            exec_cold("fd 0, 1 or 2 is closed");
        }
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        exec_cold("no current directory to send");
    }
    struct request r = {.args = args.user, .nargs = args.nuser, .env = environ, .cwd = cwd};
    r.umask = umask(0);
    umask(r.umask);
    for (int i = 0; i < 3; i++) {
        r.tty[i] = isatty(i);
    }
    struct buf request = {0};
    if (encode_request(&request, &r) != 0) {
        exec_cold("out of memory");
    }
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) != 0) {
        exec_cold("no pipe for signals");
    }
    sig_r = pipefd[0];
    sig_w = pipefd[1];

    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = connect_once();
        if (fd < 0 && nobody_listens(errno) && may_start) {
            fd = start_and_connect();
        }
        if (fd < 0) {
            exec_cold("no engine service");
        }
        /* From here a signal is for the command, which runs in the service. */
        forward_signals(true);
        int code = run_request(fd, &request);
        close(fd);
        if (code == NOT_SENT) {
            exec_cold("the request did not reach the engine service");
        }
        if (code == REBUILD) {
            exec_rebuild();
        }
        if (code == OTHER_BUILD) {
            exec_cold("the engine service runs another checkout's build");
        }
        if (code != RETRY) {
            return code;
        }
        deliver_pending_signals();
    }
    exec_cold("the engine service asked to retry twice");
}
