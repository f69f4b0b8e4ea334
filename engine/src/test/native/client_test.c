/*
 * Tests of hutch-client (src/main/c/client): the frames it encodes and its command line, without
 * root; then, as root (the client only talks to a root service and is root-only itself), the real
 * binary against a fake service in this process: the frames and fds it sends, forwarded signals,
 * 'X', 'R', EOF, the cold fallbacks, and starting a service under the lock (the fake service is
 * this program, run with --fake-service). The Java service's own tests are end to end.
 *
 * usage: client_test PATH_TO_HUTCH_CLIENT. Run by `make test`.
 */
#define _GNU_SOURCE
#include "../../main/c/client/stale_check.h"
#include "../../main/c/client/wire.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                                \
    do {                                                                                                \
        if (cond) {                                                                                     \
            passed++;                                                                                   \
        } else {                                                                                        \
            failed++;                                                                                   \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                 \
            printf(__VA_ARGS__);                                                                        \
            printf("\n");                                                                               \
        }                                                                                               \
    } while (0)

/* ---------- without root: encoding and parsing ---------- */

static void test_frames(void)
{
    unsigned char h[FRAME_HEADER];
    frame_header(h, 'A', 0x01020304);
    CHECK(memcmp(h, "A\x01\x02\x03\x04", 5) == 0, "header is type + big-endian length");

    struct buf b = {0};
    buf_frame(&b, 'G', "", 0);
    buf_frame(&b, 'A', "run", 3);
    CHECK(b.len == 5 + 8 && memcmp(b.data, "G\0\0\0\0A\0\0\0\3run", 13) == 0, "two frames back to back");
    buf_free(&b);

    char *env[] = {"A=1", "PATH=/bin", NULL};
    char *argv[] = {"run", ""};
    struct request r = {.args = argv, .nargs = 2, .env = env, .cwd = "/tmp", .umask = 022, .tty = {1, 0, 1}};
    encode_request(&b, &r);
    static const unsigned char want[] = "T\0\0\0\003101"
                                        "A\0\0\0\003run"
                                        "A\0\0\0\0"
                                        "E\0\0\0\003A=1"
                                        "E\0\0\0\011PATH=/bin"
                                        "C\0\0\0\004/tmp"
                                        "U\0\0\0\003022"
                                        "G\0\0\0\0";
    CHECK(b.len == sizeof want - 1 && memcmp(b.data, want, b.len) == 0, "request T A A E E C U G, %zu bytes",
          b.len);
    buf_free(&b);

    r.umask = 0;
    encode_request(&b, &r);
    CHECK(memmem(b.data, b.len, "U\0\0\0\003000", 8) != NULL, "umask 0 is \"000\"");
    buf_free(&b);

    /* Reading: a whole frame, EOF, a truncated frame, an absurd length. */
    int p[2];
    if (pipe(p) == 0) {
        write(p[1], "X\0\0\0\00242R\0\0\0\0Z\0\0", 15);
        close(p[1]);
        char t, *payload;
        uint32_t len;
        CHECK(frame_read(p[0], &t, &payload, &len) == 1 && t == 'X' && len == 2 && strcmp(payload, "42") == 0,
              "reads X 42");
        free(payload);
        CHECK(frame_read(p[0], &t, &payload, &len) == 1 && t == 'R' && len == 0, "reads R");
        free(payload);
        errno = 0;
        CHECK(frame_read(p[0], &t, &payload, &len) == -1 && errno == EPROTO, "a truncated header is EPROTO");
        CHECK(frame_read(p[0], &t, &payload, &len) == 0, "then EOF");
        close(p[0]);
    }
    if (pipe(p) == 0) {
        write(p[1], "X\x7f\0\0\0", 5);
        close(p[1]);
        char t, *payload;
        uint32_t len;
        errno = 0;
        CHECK(frame_read(p[0], &t, &payload, &len) == -1 && errno == EPROTO, "a 2 GiB frame is refused");
        close(p[0]);
    }
}

static void test_hello_passes_fds(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        CHECK(0, "socketpair: %s", strerror(errno));
        return;
    }
    CHECK(send_hello(sv[0]) == 0, "send_hello: %s", strerror(errno));
    unsigned char data[16];
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                         .msg_controllen = sizeof control.bytes};
    ssize_t n = recvmsg(sv[1], &msg, MSG_CMSG_CLOEXEC);
    CHECK(n == 6 && memcmp(data, "H\0\0\0\0011", 6) == 0, "H \"1\" in one message (%zd bytes)", n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    int nfds = c && c->cmsg_type == SCM_RIGHTS ? (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
    CHECK(nfds == 3, "three fds with it, got %d", nfds);
    for (int i = 0; i < nfds && i < 3; i++) {
        int fd;
        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
        struct stat a, b;
        CHECK(fstat(fd, &a) == 0 && fstat(i, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev,
              "fd %d received is the sender's fd %d", i, i);
        close(fd);
    }
    close(sv[0]);
    close(sv[1]);
}

static void test_args(void)
{
    struct client_args a;
    char err[256];
    char *ok[] = {"hutch-client", "--socket", "/s", "--log", "/l", "--cold", "2", "java", "Main",
                  "--service", "3", "java", "Main", "serve", "--", "run", "--rm", "x", NULL};
    CHECK(parse_client_args(18, ok, &a, err, sizeof err) == 0, "parses: %s", err);
    CHECK(strcmp(a.socket_path, "/s") == 0 && strcmp(a.log_path, "/l") == 0, "socket and log");
    CHECK(a.ncold == 2 && a.cold == ok + 7 && a.nservice == 3 && a.service == ok + 11, "cold and service");
    CHECK(a.nuser == 3 && a.user == ok + 15, "user args follow --");
    char **cold = join_argv(a.cold, a.ncold, a.user, a.nuser);
    CHECK(cold && strcmp(cold[0], "java") == 0 && strcmp(cold[2], "run") == 0 && strcmp(cold[4], "x") == 0
              && cold[5] == NULL,
          "cold argv = cold + user args");
    free(cold);

    /* An argument that looks like an option inside --cold's count is the cold command's. */
    char *inner[] = {"c", "--cold", "2", "java", "--", "--socket", "/s", "--log", "/l", "--service", "1", "j",
                     "--", NULL};
    CHECK(parse_client_args(13, inner, &a, err, sizeof err) == 0 && a.ncold == 2 && a.nuser == 0,
          "counted args are taken as they are: %s", err);

    char *no_dashdash[] = {"c", "--socket", "/s", "--log", "/l", "--cold", "1", "j", "--service", "1", "j", NULL};
    CHECK(parse_client_args(11, no_dashdash, &a, err, sizeof err) == -1 && strstr(err, "--"), "needs --: %s", err);
    char *too_many[] = {"c", "--socket", "/s", "--log", "/l", "--cold", "9", "j", "--", NULL};
    CHECK(parse_client_args(9, too_many, &a, err, sizeof err) == -1 && strstr(err, "\"9\""), "count > left: %s",
          err);
    char *not_number[] = {"c", "--cold", "x1", "j", "--", NULL};
    CHECK(parse_client_args(5, not_number, &a, err, sizeof err) == -1, "count not a number");
    char *missing[] = {"c", "--socket", "/s", "--cold", "1", "j", "--service", "1", "j", "--", NULL};
    CHECK(parse_client_args(10, missing, &a, err, sizeof err) == -1 && strstr(err, "--log"), "missing: %s", err);
    char *unknown[] = {"c", "--sock", "/s", "--", NULL};
    CHECK(parse_client_args(4, unknown, &a, err, sizeof err) == -1 && strstr(err, "--sock"), "unknown: %s", err);

    /* The launcher's staleness check rides along: a stamp, the sources, the rebuild command. */
    char *stale[] = {"c", "--stamp", "/st", "--sources", "2", "/a", "/b", "--rebuild", "2", "/h", "--rebuild",
                     "--socket", "/s", "--log", "/l", "--cold", "1", "j", "--service", "1", "j", "--", "ps", NULL};
    CHECK(parse_client_args(23, stale, &a, err, sizeof err) == 0 && strcmp(a.stamp, "/st") == 0 && a.nsources == 2
              && a.sources == stale + 5 && a.nrebuild == 2 && a.rebuild == stale + 9 && a.nuser == 1,
          "stamp, sources, rebuild: %s", err);
    char *half[] = {"c", "--stamp", "/st", "--socket", "/s", "--log", "/l", "--cold", "1", "j", "--service", "1",
                    "j", "--", NULL};
    CHECK(parse_client_args(14, half, &a, err, sizeof err) == -1 && strstr(err, "together"), "a stamp alone: %s", err);
    /* --sources 0: the stamp names the build, nothing is checked (right after the launcher built) */
    char *named[] = {"c", "--stamp", "/st", "--sources", "0", "--rebuild", "1", "/h", "--socket", "/s", "--log", "/l",
                     "--cold", "1", "j", "--service", "1", "j", "--", NULL};
    memset(&a, 0, sizeof a);
    CHECK(parse_client_args(19, named, &a, err, sizeof err) == 0 && a.nsources == 0 && a.sources != NULL
              && strcmp(a.stamp, "/st") == 0,
          "a stamp with no sources: %s", err);
    char *zero_cold[] = {"c", "--socket", "/s", "--log", "/l", "--cold", "0", "--service", "1", "j", "--", NULL};
    CHECK(parse_client_args(11, zero_cold, &a, err, sizeof err) == -1, "--cold 0 is still refused");
}

/* ---------- as root: the binary against a fake service ---------- */

static const char *client;
static char dir[64], sock_path[128], log_path[128], out_path[128], err_path[128];

static char *slurp(const char *path)
{
    static char text[8192];
    text[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, text, sizeof text - 1);
        text[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    return text;
}

static int listen_at(const char *path)
{
    unlink(path);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0) {
        perror("listen_at");
        exit(2);
    }
    return fd;
}

/* Starts the client (stdin /dev/null, stdout/stderr to files, cwd dir, umask 027). env: extra
 * "K=V" entries or NULL; service: the service argv's single word. */
static pid_t start_client(const char *const *user, const char *env, const char *service, bool close_stdin)
{
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (close_stdin) {
        close(0);
    }
    if (chdir(dir) != 0) {
        _exit(99);
    }
    umask(027);
    /* As a shell starts `hutch ... &`: the service it starts must not inherit that. */
    signal(SIGINT, SIG_IGN);
    unsetenv("HUTCH_ENGINE");
    if (env) {
        putenv((char *)env);
    }
    const char *argv[64] = {client, "--socket", sock_path, "--log", log_path,
                            "--cold", "3", "/bin/sh", "-c", "echo cold \"$*\"",
                            "--service", "3", service, "--fake-service", sock_path, "--"};
    /* The cold command is `sh -c SCRIPT` + the user's args: $0 is the first, $* the rest. */
    int n = 16;
    for (int i = 0; user[i]; i++) {
        argv[n++] = user[i];
    }
    argv[n] = NULL;
    execv(client, (char **)argv);
    _exit(98);
}

static int wait_exit(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Accepts one connection (5 s at most) and reads H with its fds: the connection, or -1. */
static int accept_hello(int listener, int fds[3])
{
    struct pollfd p = {.fd = listener, .events = POLLIN};
    if (poll(&p, 1, 5000) != 1) {
        return -1;
    }
    int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    unsigned char data[6];
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(int) * 3)];
    } control;
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                         .msg_controllen = sizeof control.bytes};
    ssize_t n = recvmsg(c, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    if (n != 6 || memcmp(data, "H\0\0\0\0011", 6) != 0 || !cm || cm->cmsg_type != SCM_RIGHTS
        || cm->cmsg_len != CMSG_LEN(sizeof(int) * 3)) {
        close(c);
        return -1;
    }
    memcpy(fds, CMSG_DATA(cm), sizeof(int) * 3);
    return c;
}

/* Reads frames up to G into a transcript: "T:000|A:run|...|G:". */
static void read_request(int c, char *transcript, size_t size)
{
    transcript[0] = '\0';
    size_t used = 0;
    for (;;) {
        char t, *payload;
        uint32_t len;
        if (frame_read(c, &t, &payload, &len) != 1) {
            return;
        }
        used += (size_t)snprintf(transcript + used, size > used ? size - used : 0, "%c:%s|", t, payload);
        free(payload);
        if (t == 'G') {
            return;
        }
    }
}

static void send_frame(int c, char type, const char *payload)
{
    struct buf b = {0};
    buf_frame(&b, type, payload, strlen(payload));
    write_all(c, b.data, b.len);
    buf_free(&b);
}

static void test_request_fds_and_exit_code(int listener)
{
    const char *user[] = {"run", "a b", "", NULL};
    pid_t pid = start_client(user, "HUTCH_TEST_MARK=x y", "/bin/false", false);
    int fds[3];
    int c = accept_hello(listener, fds);
    CHECK(c >= 0, "the client connects and sends H with three fds");
    if (c < 0) {
        kill(pid, SIGKILL);
        wait_exit(pid);
        return;
    }
    char t[16384];
    read_request(c, t, sizeof t);
    char want[512];
    snprintf(want, sizeof want, "T:000|A:run|A:a b|A:|E:");
    CHECK(strncmp(t, want, strlen(want)) == 0, "tty flags then args in order: %.80s", t);
    CHECK(strstr(t, "|E:HUTCH_TEST_MARK=x y|") != NULL, "environment entries as they are");
    snprintf(want, sizeof want, "|C:%s|U:027|G:|", dir);
    CHECK(strstr(t, want) != NULL && strcmp(t + strlen(t) - strlen(want), want) == 0, "ends C U G: %s", want);
    /* The fds are the client's: what the service writes to fd 1 is the client's stdout. */
    struct stat a, b;
    CHECK(fstat(fds[1], &a) == 0 && stat(out_path, &b) == 0 && a.st_ino == b.st_ino, "fd 1 is the client's stdout");
    dprintf(fds[1], "from the service\n");
    send_frame(c, 'X', "42");
    close(c);
    for (int i = 0; i < 3; i++) {
        close(fds[i]);
    }
    CHECK(wait_exit(pid) == 42, "the client exits with X's code");
    CHECK(strcmp(slurp(out_path), "from the service\n") == 0, "output went through the passed fd: %s",
          slurp(out_path));
}

static void test_signals_forwarded(int listener)
{
    const char *user[] = {"run", "-it", "x", NULL};
    pid_t pid = start_client(user, NULL, "/bin/false", false);
    int fds[3];
    int c = accept_hello(listener, fds);
    char t[16384];
    read_request(c, t, sizeof t);
    kill(pid, SIGTERM);
    char got[2][8] = {"", ""};
    for (int i = 0; i < 2; i++) {
        char ty, *payload;
        uint32_t len;
        if (frame_read(c, &ty, &payload, &len) == 1 && ty == 'S') {
            snprintf(got[i], sizeof got[i], "%s", payload);
        }
        if (i == 0) {
            free(payload);
            kill(pid, SIGWINCH);
        } else {
            free(payload);
        }
    }
    CHECK(strcmp(got[0], "15") == 0 && strcmp(got[1], "28") == 0, "S 15 then S 28, got \"%s\" \"%s\"", got[0],
          got[1]);
    send_frame(c, 'X', "0");
    close(c);
    for (int i = 0; i < 3; i++) {
        close(fds[i]);
    }
    CHECK(wait_exit(pid) == 0, "SIGTERM went to the command, not the client");
}

static void test_retry_once(int listener)
{
    const char *user[] = {"ps", NULL};
    pid_t pid = start_client(user, NULL, "/bin/false", false);
    int fds[3], fds2[3];
    int c = accept_hello(listener, fds);
    char t[16384];
    read_request(c, t, sizeof t);
    send_frame(c, 'R', "");
    close(c);
    int c2 = accept_hello(listener, fds2);
    CHECK(c2 >= 0, "after R the client connects again");
    char t2[16384] = "";
    if (c2 >= 0) {
        read_request(c2, t2, sizeof t2);
        send_frame(c2, 'X', "7");
        close(c2);
    }
    CHECK(strcmp(t, t2) == 0, "and sends the same request");
    CHECK(wait_exit(pid) == 7, "exit code of the second answer");
    for (int i = 0; i < 3; i++) {
        close(fds[i]);
        if (c2 >= 0) {
            close(fds2[i]);
        }
    }
}

static void test_eof_is_125(int listener)
{
    const char *user[] = {"logs", "-f", "x", NULL};
    pid_t pid = start_client(user, NULL, "/bin/false", false);
    int fds[3];
    int c = accept_hello(listener, fds);
    char t[16384];
    read_request(c, t, sizeof t);
    close(c);
    for (int i = 0; i < 3; i++) {
        close(fds[i]);
    }
    CHECK(wait_exit(pid) == 125, "EOF without X: exit 125");
    char want[256];
    snprintf(want, sizeof want, "hutch: the engine service stopped while running this command (its log: %s)\n",
             log_path);
    CHECK(strcmp(slurp(err_path), want) == 0, "one line on stderr: %s", slurp(err_path));
}

static bool pending_connection(int listener)
{
    struct pollfd p = {.fd = listener, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

static void test_cold_paths(int listener)
{
    const char *version[] = {"version", NULL};
    pid_t pid = start_client(version, "HUTCH_ENGINE=off", "/bin/false", false);
    CHECK(wait_exit(pid) == 0 && strcmp(slurp(out_path), "cold \n") == 0 && !pending_connection(listener),
          "HUTCH_ENGINE=off: cold, no connection: %s", slurp(out_path));

    pid = start_client(version, NULL, "/bin/false", true);
    CHECK(wait_exit(pid) == 0 && strcmp(slurp(out_path), "cold \n") == 0, "closed stdin: cannot pass it, cold: %s",
          slurp(out_path));
    /* Its connection may be queued before it gave up: drop it. */
    while (pending_connection(listener)) {
        close(accept(listener, NULL, NULL));
    }

    /* A socket that a non-root process listens on is not the engine's. */
    int ready[2];
    if (pipe(ready) != 0) {
        return;
    }
    char other_sock[100];
    snprintf(other_sock, sizeof other_sock, "%s/other.sock", dir);
    pid_t other = fork();
    if (other == 0) {
        unlink(other_sock);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%s", other_sock);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        /* SO_PEERCRED reports the credentials in effect at listen(). */
        if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || chmod(other_sock, 0666) != 0 || setgid(65534) != 0
            || setuid(65534) != 0 || listen(fd, 4) != 0) {
            _exit(1);
        }
        write(ready[1], "x", 1);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int accepted = 0;
        if (poll(&p, 1, 5000) == 1) {
            close(accept(fd, NULL, NULL));
            accepted = 1;
        }
        _exit(accepted ? 0 : 3);
    }
    char x;
    read(ready[0], &x, 1);
    close(ready[0]);
    close(ready[1]);
    char saved[128];
    snprintf(saved, sizeof saved, "%s", sock_path);
    snprintf(sock_path, sizeof sock_path, "%s", other_sock);
    const char *ps[] = {"ps", NULL};
    pid = start_client(ps, NULL, "/bin/false", false);
    CHECK(wait_exit(pid) == 0 && strcmp(slurp(out_path), "cold \n") == 0, "a non-root peer: cold: %s",
          slurp(out_path));
    snprintf(sock_path, sizeof sock_path, "%s", saved);
    wait_exit(other);
    unlink(other_sock);
}

/* The fake service: what the client starts. Writes what it sees to stdout (the log), serves
 * requests with X 0 until nothing comes for 3 s (long enough for the last of the clients
 * started together to arrive on a loaded host, not to start a second service). */
static int fake_service(const char *path)
{
    char cwd[256] = "", in[256] = "";
    if (!getcwd(cwd, sizeof cwd)) {
        strcpy(cwd, "?");
    }
    ssize_t n = readlink("/proc/self/fd/0", in, sizeof in - 1);
    in[n > 0 ? n : 0] = '\0';
    int nfds = 0;
    DIR *d = opendir("/proc/self/fd");
    for (struct dirent *e; d && (e = readdir(d));) {
        nfds += e->d_name[0] != '.';
    }
    if (d) {
        closedir(d);
    }
    struct sigaction sa;
    sigaction(SIGINT, NULL, &sa);
    printf("started pid=%d session_leader=%d cwd=%s stdin=%s fds=%d sigint=%s\n", getpid(), getsid(0) == getpid(),
           cwd, in, nfds - 1, sa.sa_handler == SIG_DFL ? "default" : "not-default");
    fflush(stdout);
    /* Slow enough that the other clients queue on the lock rather than find it at once. */
    usleep(200 * 1000);
    int listener = listen_at(path);
    int served = 0;
    for (;;) {
        struct pollfd p = {.fd = listener, .events = POLLIN};
        if (poll(&p, 1, 3000) != 1) {
            break;
        }
        int fds[3];
        int c = accept_hello(listener, fds);
        if (c < 0) {
            continue;
        }
        char t[16384];
        read_request(c, t, sizeof t);
        send_frame(c, 'X', "0");
        close(c);
        for (int i = 0; i < 3; i++) {
            close(fds[i]);
        }
        served++;
    }
    unlink(path);
    printf("served %d\n", served);
    return 0;
}

static void test_starts_one_service(const char *self)
{
    unlink(sock_path);
    unlink(log_path);
    const char *user[] = {"ps", NULL};
    enum { CLIENTS = 8 };
    pid_t pids[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        pids[i] = start_client(user, NULL, self, false);
    }
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        ok += wait_exit(pids[i]) == 0;
    }
    CHECK(ok == CLIENTS, "all %d clients got X 0 from the started service (%d did)", CLIENTS, ok);
    CHECK(strcmp(slurp(out_path), "") == 0, "none ran cold: %s", slurp(out_path));
    /* We are a subreaper: the service, orphaned by its client, is ours to wait for. */
    pid_t service = 0;
    sscanf(slurp(log_path), "started pid=%d", &service);
    int status = 0;
    for (int i = 0; i < 200 && service > 0 && waitpid(service, &status, WNOHANG) == 0; i++) {
        usleep(50 * 1000);
    }
    if (service > 0 && kill(service, 0) == 0) {
        kill(service, SIGKILL);
        waitpid(service, &status, 0);
    }
    const char *log = slurp(log_path);
    const char *second = strstr(log, "started");
    CHECK(second && !strstr(second + 1, "started"), "one service for %d clients: %s", CLIENTS, log);
    char want[64];
    snprintf(want, sizeof want, "served %d\n", CLIENTS);
    CHECK(strstr(log, want) != NULL, "it served them all: %s", log);
    CHECK(strstr(log, "session_leader=1 cwd=/ stdin=/dev/null fds=3 sigint=default") != NULL,
          "own session, cwd /, stdin /dev/null, no other fd, default signals: %s", log);
    struct stat st;
    CHECK(stat(log_path, &st) == 0 && (st.st_mode & 0777) == 0600, "log is 0600");

    /* A service that cannot start: cold, at once rather than after 20 s. */
    unlink(sock_path);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = start_client(user, NULL, "/bin/false", false);
    int code = wait_exit(pid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    CHECK(code == 0 && strcmp(slurp(out_path), "cold \n") == 0 && ms < 5000,
          "a service that dies: cold after %ld ms: %s", ms, slurp(out_path));

    /* engine status/stop with nobody listening: cold, nothing started. */
    unlink(log_path);
    const char *status_args[] = {"engine", "status", NULL};
    pid = start_client(status_args, NULL, self, false);
    CHECK(wait_exit(pid) == 0 && strcmp(slurp(out_path), "cold status\n") == 0 && access(log_path, F_OK) != 0,
          "engine status: cold, no service started: %s", slurp(out_path));
}

/* The launcher's staleness question (stale_check.c): newer sources, not Maven's target dirs. */
static void set_mtime(const char *path, time_t t)
{
    struct timeval tv[2] = {{t, 0}, {t, 0}};
    utimes(path, tv);
}

static void test_stale_check(void)
{
    char d[] = "/tmp/hutch-stale-test.XXXXXX", p[4][300];
    if (!mkdtemp(d)) {
        CHECK(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    snprintf(p[0], sizeof p[0], "%s/stamp", d);
    snprintf(p[1], sizeof p[1], "%s/src", d);
    snprintf(p[2], sizeof p[2], "%s/src/target", d);
    snprintf(p[3], sizeof p[3], "%s/src/A.java", d);
    char built[320], deep[320];
    snprintf(built, sizeof built, "%s/Built.class", p[2]);
    snprintf(deep, sizeof deep, "%s/src/a/b", d);
    close(open(p[0], O_CREAT | O_WRONLY, 0600));
    mkdir(p[1], 0700);
    mkdir(p[2], 0700);
    close(open(p[3], O_CREAT | O_WRONLY, 0600));
    close(open(built, O_CREAT | O_WRONLY, 0600));
    set_mtime(p[0], 2000000000);
    set_mtime(p[3], 1999999999);
    set_mtime(built, 2000000100);
    char *roots[] = {p[1]};
    CHECK(stale_check(p[0], roots, 1) == 1, "older sources, a newer file only under target/: fresh");
    char sub[320];
    snprintf(sub, sizeof sub, "%s/src/a", d);
    mkdir(sub, 0700);
    mkdir(deep, 0700);
    char newer[340];
    snprintf(newer, sizeof newer, "%s/N.java", deep);
    close(open(newer, O_CREAT | O_WRONLY, 0600));
    set_mtime(newer, 2000000001);
    CHECK(stale_check(p[0], roots, 1) == 0, "a newer file two directories down: stale");
    char *file_root[] = {p[3]};
    CHECK(stale_check(p[0], file_root, 1) == 1, "an older file given as a root: fresh");
    char *missing[] = {"/nonexistent-hutch-path"};
    CHECK(stale_check(p[0], missing, 1) == 2, "a root that is not there: cannot tell");
    CHECK(stale_check("/nonexistent-hutch-stamp", roots, 1) == 2, "no stamp: cannot tell");
    unlink(newer);
    rmdir(deep);
    rmdir(sub);
    unlink(built);
    rmdir(p[2]);
    unlink(p[3]);
    rmdir(p[1]);
    unlink(p[0]);
    rmdir(d);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--fake-service") == 0) {
        return fake_service(argv[2]);
    }
    test_frames();
    test_hello_passes_fds();
    test_args();
    test_stale_check();
    if (argc < 2) {
        printf("client_test: no hutch-client path given: skipping the tests of the binary\n");
    } else if (geteuid() != 0) {
        printf("client_test: not root: skipping the tests of the binary (it talks only to a root service)\n");
    } else {
        client = argv[1];
        char self[256];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n > 0 ? n : 0] = '\0';
        snprintf(dir, sizeof dir, "/tmp/hutch-client-test.XXXXXX");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 2;
        }
        snprintf(sock_path, sizeof sock_path, "%s/engine.sock", dir);
        snprintf(log_path, sizeof log_path, "%s/engine.log", dir);
        snprintf(out_path, sizeof out_path, "%s/out", dir);
        snprintf(err_path, sizeof err_path, "%s/err", dir);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        int listener = listen_at(sock_path);
        test_request_fds_and_exit_code(listener);
        test_signals_forwarded(listener);
        test_retry_once(listener);
        test_eof_is_125(listener);
        test_cold_paths(listener);
        close(listener);
        test_starts_one_service(self);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0) {
            printf("could not remove %s\n", dir);
        }
    }
    printf("client_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
