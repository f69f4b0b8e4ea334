/*
 * The escape suite's probe (cli/src/test/.../SecurityEscapeTest): for each name given, makes the
 * syscall the way an escape would and prints "name=ok" or "name=ERRNO_NAME". Static, so it runs
 * in the busybox image; harmless where it succeeds (nothing is loaded, mounted outside the
 * container's own namespaces, or left behind). It refuses to run without HUTCH_PROBE_INSIDE=1
 * in its environment (the test sets it with -e): it is never meant to run on a host.
 *
 * Names starting with i386_ make the call as a 32-bit x86 program does (int $0x80, i386 numbers,
 * seccomp sees AUDIT_ARCH_I386), from this 64-bit binary, so no 32-bit toolchain is needed. Each
 * is made in a child, so a filter that kills the caller is reported ("KILLED", SIGSYS), and a
 * kernel that runs no 32-bit code at all (ia32_emulation off: int $0x80 faults) says "NO-IA32".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ename(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOSYS: return "ENOSYS";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EBADF: return "EBADF";
    case ENOENT: return "ENOENT";
    case EROFS: return "EROFS";
    default: return strerror(e);
    }
}

#if defined(__x86_64__)
/* i386 numbers (asm/unistd_32.h) */
#define I386_GETPID 20
#define I386_KEYCTL 288
#define I386_UNSHARE 310

static long int80(long nr, long a, long b)
{
    long r;
    /* the kernel zeroes r8-r11 on the way back from a 32-bit call */
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "r8", "r9", "r10", "r11", "memory");
    return r;
}

/* the i386 call in a child: exit 0 ok, 10+errno refused; a signal is reported as such */
static void try_i386(const char *n)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long r;
        if (!strcmp(n, "i386_getpid")) r = int80(I386_GETPID, 0, 0) == getpid() ? 0 : -EINVAL;
        else if (!strcmp(n, "i386_unshare_user")) r = int80(I386_UNSHARE, CLONE_NEWUSER, 0);
        else if (!strcmp(n, "i386_keyctl")) r = int80(I386_KEYCTL, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, 0);
        else _exit(99);
        _exit(r < 0 ? (int)(10 + (-r > 200 ? 200 : -r)) : 0);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        printf("%s=%s\n", n, ename(errno));
    } else if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        printf("%s=%s\n", n, sig == SIGSYS ? "KILLED" : sig == SIGSEGV ? "NO-IA32" : strsignal(sig));
    } else if (WEXITSTATUS(st) == 99) {
        printf("%s=unknown-probe\n", n);
    } else {
        printf("%s=%s\n", n, WEXITSTATUS(st) == 0 ? "ok" : ename(WEXITSTATUS(st) - 10));
    }
}
#endif

static long try_one(const char *n)
{
    char buf[64] = {0};
    if (!strcmp(n, "keyctl")) return syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, "hutch-probe");
    if (!strcmp(n, "add_key")) return syscall(SYS_add_key, "user", "hutch-probe", "x", 1, -3 /* session */);
    if (!strcmp(n, "bpf")) return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, buf, sizeof buf);
    if (!strcmp(n, "perf_event_open")) return syscall(SYS_perf_event_open, buf, 0, -1, -1, 0);
    if (!strcmp(n, "kexec_load")) return syscall(SYS_kexec_load, 0, 0, NULL, 0);
    if (!strcmp(n, "open_by_handle_at")) return syscall(SYS_open_by_handle_at, AT_FDCWD, buf, O_RDONLY);
    if (!strcmp(n, "mount")) {
        /* a directory of its own, unmounted again at once should the mount succeed */
        mkdir("/tmp/hutch-probe-mnt", 0700);
        long r = mount("none", "/tmp/hutch-probe-mnt", "tmpfs", 0, "size=1m");
        if (r == 0)
            umount("/tmp/hutch-probe-mnt");
        return r;
    }
    if (!strcmp(n, "unshare_user")) return unshare(CLONE_NEWUSER);
    if (!strcmp(n, "clone3")) return syscall(SYS_clone3, buf, 0);
    if (!strcmp(n, "clone_user")) {
        long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0)
            _exit(0);
        if (pid > 0)
            waitpid((pid_t)pid, NULL, 0);
        return pid < 0 ? -1 : 0;
    }
    errno = EINVAL;
    return -2;
}

int main(int argc, char **argv)
{
    const char *inside = getenv("HUTCH_PROBE_INSIDE");
    if (!inside || strcmp(inside, "1")) {
        fprintf(stderr, "escape-probe: runs only inside a test container (HUTCH_PROBE_INSIDE=1)\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "i386_", 5)) {
#if defined(__x86_64__)
            try_i386(argv[i]);
#else
            printf("%s=not-x86_64\n", argv[i]);
#endif
            continue;
        }
        errno = 0;
        long r = try_one(argv[i]);
        if (r == -2)
            printf("%s=unknown-probe\n", argv[i]);
        else if (r < 0)
            printf("%s=%s\n", argv[i], ename(errno));
        else
            printf("%s=ok\n", argv[i]);
    }
    return 0;
}
