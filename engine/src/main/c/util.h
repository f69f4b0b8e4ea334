/*
 * Small helpers shared by every part of hutch-helper: error recording, full reads and writes,
 * and path resolution that cannot escape a root directory.
 *
 * Error convention: a function that fails records a message with err()/errp() and returns -1.
 * Callers pass the -1 up; only the top of each process (monitor, init, exec) decides where the
 * message goes (stderr, the sync socket, the exit file). This keeps one message per failure and
 * lets init report a failing mount to the engine as "error 125 <message>".
 */
#ifndef HUTCH_UTIL_H
#define HUTCH_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#define HUTCH_ERR_MAX 1024

/* The last recorded error message (never contains a newline). */
extern char hutch_err[HUTCH_ERR_MAX];

/* Record a message; returns -1 so a caller can write `return err(...)`. */
int err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record a message followed by ": <errno text>" (saved errno, lowercased like Go's errors). */
int errp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* strerror(e) with a lowercase first letter ("no such file or directory"). */
const char *errno_str(int e);

/* Print "hutch: <message>" to stderr. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* write() until everything is written; retries EINTR. Returns 0 or -1 (errno set). */
int write_all(int fd, const void *buf, size_t len);
/* Write a whole small file (O_WRONLY, no create/truncate: cgroup and /proc files). */
int write_file(const char *path, const char *data, size_t len);
/* Read up to size-1 bytes of a small file and NUL-terminate. Returns length or -1. */
ssize_t read_small_file(const char *path, char *buf, size_t size);

/* Parse a decimal number; returns 0 or -1 if s is not entirely digits or overflows. */
int parse_u64(const char *s, unsigned long long *out);

/*
 * Open `path` (absolute or relative, interpreted inside `rootfd`) with openat2(RESOLVE_IN_ROOT):
 * ".." and absolute symlinks cannot leave the root, so a hostile image cannot make a mount land
 * on the host (the class of bug behind runc's CVE-2019-19921 / CVE-2021-30465).
 */
int open_in_root(int rootfd, const char *path, int flags, mode_t mode);
/*
 * The same without openat2 (kernels before 5.6, where open_in_root falls back to it): one
 * component at a time with O_NOFOLLOW, every symlink read and resolved inside the root by hand,
 * ".." never above it. Safe here because the rootfs is not yet reachable by anything inside the
 * container while the helper mounts; exported for its test (src/test/native).
 */
int walk_in_root(int rootfd, const char *path, int flags, mode_t mode);
/* mkdir -p of `path` inside `rootfd`, every step resolved with open_in_root. */
int mkdir_in_root(int rootfd, const char *path, mode_t mode);
/* Open the parent directory of `path` inside `rootfd` (O_PATH) and point *base at the last
 * component. The parent is created if `create` is set. Fails for "/" (no last component). */
int open_parent_in_root(int rootfd, const char *path, int create, const char **base, char *tmp,
                        size_t tmpsize);
/* "/proc/self/fd/N" for a fd, so syscalls that take a path (mount) act on exactly that inode. */
const char *fd_path(int fd, char *buf, size_t size);

/* Whether a kernel release string ("6.1.0-26-amd64") is at least major.minor; 1 if unparseable. */
int kernel_at_least(const char *release, int major, int minor);
/* The oldest kernel the helper runs on: cgroup namespaces (CLONE_NEWCGROUP) came in 4.6. */
#define KERNEL_FLOOR_MAJOR 4
#define KERNEL_FLOOR_MINOR 6

/* main()'s argv, kept so init can overwrite its command line (see init.c). */
extern char **helper_argv;

/* close_range(first, last) with a fallback loop for old kernels. */
void close_fds(int first, int last);
#define CLOSE_ALL_ABOVE(first) close_fds((first), 0x7fffffff)

#endif
