#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Kernel headers before 5.6 have no <linux/openat2.h>, and glibc before 2.32 defines neither
 * syscall number: the values below are the kernel's ABI, the same on every architecture that
 * uses the generic syscall table (x86_64 included). On a kernel without the syscall the call
 * answers ENOSYS and open_in_root falls back to walk_in_root. */
#if defined(__has_include) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how {
    unsigned long long flags;
    unsigned long long mode;
    unsigned long long resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

char hutch_err[HUTCH_ERR_MAX];
char **helper_argv;

static void sanitize(char *s)
{
    /* Messages travel as one line on the sync socket: no newlines inside. */
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

int err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(hutch_err, sizeof hutch_err, fmt, ap);
    va_end(ap);
    sanitize(hutch_err);
    return -1;
}

int errp(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(hutch_err, sizeof hutch_err, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof hutch_err)
        snprintf(hutch_err + n, sizeof hutch_err - (size_t)n, ": %s", errno_str(e));
    sanitize(hutch_err);
    errno = e;
    return -1;
}

const char *errno_str(int e)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

void msg(const char *fmt, ...)
{
    char buf[HUTCH_ERR_MAX + 16];
    int n = snprintf(buf, sizeof buf, "hutch: ");
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    size_t len = (size_t)n + ((size_t)m < sizeof buf - (size_t)n - 1 ? (size_t)m
                                                                     : sizeof buf - (size_t)n - 2);
    buf[len++] = '\n';
    (void)write_all(2, buf, len);
}

int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errp("open %s", path);
    /* One write(): cgroup and /proc files act on each write call. */
    ssize_t n = write(fd, data, len);
    if (n < 0 || (size_t)n != len) {
        int e = n < 0 ? errno : EIO;
        close(fd);
        errno = e;
        return errp("write %s", path);
    }
    close(fd);
    return 0;
}

ssize_t read_small_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errp("open %s", path);
    size_t len = 0;
    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return errp("read %s", path);
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = 0;
    close(fd);
    return (ssize_t)len;
}

int parse_u64(const char *s, unsigned long long *out)
{
    unsigned long long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (~0ULL - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int open_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(flags | O_CLOEXEC);
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (*path == '/')
        path++;
    if (!*path)
        path = ".";
    int fd;
    do
        fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
    while (fd < 0 && errno == EAGAIN);
    if (fd < 0 && errno == ENOSYS)
        return walk_in_root(rootfd, path, flags, mode);
    return fd;
}

/* The directories walked so far, root first: ".." pops one and can never pop the root. */
struct walk {
    int fds[PATH_MAX / 2];
    int depth; /* fds[0..depth] are open; fds[0] is a dup of the root */
};

static void walk_close(struct walk *w)
{
    for (int i = 0; i <= w->depth; i++)
        close(w->fds[i]);
}

int walk_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
    /* `todo` is what is left to resolve; a symlink's target is put in front of the rest. */
    char todo[PATH_MAX], next[PATH_MAX];
    if (strlen(path) >= sizeof todo) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(todo, path);
    struct walk w = {.depth = 0};
    w.fds[0] = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
    if (w.fds[0] < 0)
        return -1;
    int links = 0, result = -1, e = 0;
    char *p = todo;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p) { /* the path named a directory we are in */
            result = openat(w.fds[w.depth], ".", (flags & ~O_CREAT) | O_CLOEXEC);
            e = errno;
            break;
        }
        char *end = strchr(p, '/');
        char name[NAME_MAX + 1];
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > NAME_MAX) {
            e = ENAMETOOLONG;
            break;
        }
        memcpy(name, p, n);
        name[n] = 0;
        const char *rest = end ? end : "";
        int last = !*rest || strspn(rest, "/") == strlen(rest);
        if (!strcmp(name, ".")) {
            p += n;
            continue;
        }
        if (!strcmp(name, "..")) {
            if (w.depth > 0)
                close(w.fds[w.depth--]);
            p += n;
            continue;
        }
        struct stat st;
        int exists = fstatat(w.fds[w.depth], name, &st, AT_SYMLINK_NOFOLLOW) == 0;
        if (exists && S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
            /* Never let the kernel follow a link: read it and resolve its text inside the root.
             * That also defuses magic links such as /proc/self/root. */
            if (++links > 40) {
                e = ELOOP;
                break;
            }
            char target[PATH_MAX];
            ssize_t len = readlinkat(w.fds[w.depth], name, target, sizeof target - 1);
            if (len < 0) {
                e = errno;
                break;
            }
            target[len] = 0;
            if (snprintf(next, sizeof next, "%s%s", target, rest) >= (int)sizeof next) {
                e = ENAMETOOLONG;
                break;
            }
            if (target[0] == '/')
                while (w.depth > 0)
                    close(w.fds[w.depth--]);
            strcpy(todo, next);
            p = todo;
            continue;
        }
        if (last) {
            result = openat(w.fds[w.depth], name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
            e = errno;
            break;
        }
        if (w.depth + 1 >= (int)(sizeof w.fds / sizeof w.fds[0])) {
            e = ENAMETOOLONG;
            break;
        }
        int fd = openat(w.fds[w.depth], name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            e = errno;
            break;
        }
        w.fds[++w.depth] = fd;
        p += n;
    }
    walk_close(&w);
    errno = e;
    return result;
}

int mkdir_in_root(int rootfd, const char *path, mode_t mode)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len >= sizeof buf)
        return err("path too long: %s", path);
    memcpy(buf, path, len + 1);
    /* Walk every prefix: open it if it exists, else create its last component in the parent
     * opened the same safe way. A symlink component is followed inside the root only. */
    int parent = open_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0);
    if (parent < 0)
        return errp("open rootfs");
    char *p = buf;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char *end = p;
        while (*end && *end != '/')
            end++;
        char save = *end;
        *end = 0;
        int fd = open_in_root(rootfd, buf, O_PATH | O_DIRECTORY, 0);
        if (fd < 0 && errno == ENOENT) {
            if (mkdirat(parent, p, mode) < 0 && errno != EEXIST) {
                int e = errno;
                close(parent);
                errno = e;
                return errp("mkdir %s", buf);
            }
            fd = open_in_root(rootfd, buf, O_PATH | O_DIRECTORY, 0);
        }
        if (fd < 0) {
            int e = errno;
            close(parent);
            errno = e;
            return errp("mkdir %s", buf);
        }
        close(parent);
        parent = fd;
        *end = save;
        p = end;
    }
    close(parent);
    return 0;
}

int open_parent_in_root(int rootfd, const char *path, int create, const char **base, char *tmp,
                        size_t tmpsize)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len >= tmpsize)
        return err("path too long: %s", path);
    memcpy(tmp, path, len);
    tmp[len] = 0;
    char *slash = strrchr(tmp, '/');
    const char *name = slash ? slash + 1 : tmp;
    if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
        return err("bad path %s", path);
    char dir[4096];
    size_t dlen = slash ? (size_t)(slash - tmp) : 0;
    memcpy(dir, tmp, dlen);
    dir[dlen] = 0;
    if (create && dlen > 0 && mkdir_in_root(rootfd, dir, 0755) < 0)
        return -1;
    int fd = open_in_root(rootfd, dlen ? dir : "/", O_PATH | O_DIRECTORY, 0);
    if (fd < 0)
        return errp("open %s", dlen ? dir : "/");
    *base = name;
    return fd;
}

const char *fd_path(int fd, char *buf, size_t size)
{
    snprintf(buf, size, "/proc/self/fd/%d", fd);
    return buf;
}

void close_fds(int first, int last)
{
    if (first > last)
        return;
    if (syscall(SYS_close_range, (unsigned)first, (unsigned)last, 0) == 0)
        return;
    /* Fallback for kernels before 5.9: a plain loop up to the fd limit. */
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 1 << 20)
        max = 1 << 20;
    for (long fd = first; fd <= last && fd < max; fd++)
        close((int)fd);
}

int kernel_at_least(const char *release, int major, int minor)
{
    int ma, mi;
    if (sscanf(release, "%d.%d", &ma, &mi) != 2)
        return 1;
    return ma > major || (ma == major && mi >= minor);
}
