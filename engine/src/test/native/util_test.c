/*
 * Tests of util.c. Resolving paths inside a container's rootfs: walk_in_root, the fallback for
 * kernels without openat2, must land on the same inode as openat2(RESOLVE_IN_ROOT) would, and
 * never outside the root, against a tree of hostile links. Where the kernel has openat2,
 * open_in_root is checked against the same expectations. And the kernel floor's version compare.
 * Needs no root. Run by `make test`.
 */
#define _GNU_SOURCE
#include "../../main/c/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int passed, failed;
static char root[256];

static void expect_same(const char *what, int fd, const char *expected_inside_root)
{
    char want[512];
    snprintf(want, sizeof want, "%s/%s", root, expected_inside_root);
    struct stat a, b;
    if (fd < 0) {
        printf("FAIL %s: %s\n", what, strerror(errno));
        failed++;
        return;
    }
    if (fstat(fd, &a) == 0 && lstat(want, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
        passed++;
    } else {
        printf("FAIL %s: not %s\n", what, want);
        failed++;
    }
    close(fd);
}

static void expect_errno(const char *what, int fd, int err)
{
    if (fd < 0 && errno == err) {
        passed++;
    } else {
        printf("FAIL %s: wanted errno %d, got fd %d errno %d\n", what, err, fd, errno);
        failed++;
        if (fd >= 0)
            close(fd);
    }
}

static void mk(const char *rel, int dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    if (dir ? mkdir(p, 0755) : close(open(p, O_CREAT | O_WRONLY, 0644))) {
        perror(p);
        exit(2);
    }
}

static void ln(const char *target, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    if (symlink(target, p)) {
        perror(p);
        exit(2);
    }
}

/* Each case once through the fallback and, where the kernel has openat2, through open_in_root. */
static void cases(const char *impl, int (*open_fn)(int, const char *, int, mode_t), int rootfd)
{
    char what[128];
#define CASE(path, flags, expected)                                                            \
    snprintf(what, sizeof what, "%s %s", impl, path);                                          \
    expect_same(what, open_fn(rootfd, path, flags, 0), expected)
    CASE("etc/file", O_RDONLY, "etc/file");
    CASE("/etc/file", O_RDONLY, "etc/file");
    CASE("abs/file", O_RDONLY, "etc/file");          /* abs -> /etc: the root's /etc */
    CASE("up/etc/file", O_RDONLY, "etc/file");       /* up -> ../../../..: stops at the root */
    CASE("../../../etc/file", O_RDONLY, "etc/file"); /* ".." never leaves the root */
    CASE("dir/sub/../../etc/file", O_RDONLY, "etc/file");
    CASE("dir/rel", O_PATH, "etc/file");             /* rel -> ../etc/file */
    CASE("dir/chain", O_PATH, "etc/file");           /* chain -> /dir/rel -> ../etc/file */
    CASE("dir/sub/", O_PATH | O_DIRECTORY, "dir/sub");
    CASE("/", O_PATH | O_DIRECTORY, ".");
    CASE("dir/rel", O_PATH | O_NOFOLLOW, "dir/rel"); /* a trailing link itself, when asked */
    snprintf(what, sizeof what, "%s loop", impl);
    expect_errno(what, open_fn(rootfd, "loop/x", O_RDONLY, 0), ELOOP);
    snprintf(what, sizeof what, "%s missing", impl);
    expect_errno(what, open_fn(rootfd, "abs/missing", O_RDONLY, 0), ENOENT);
#undef CASE
}

static int rm_tree(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/hutch-walk-test-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 2;
    }
    mk("etc", 1);
    mk("etc/file", 0);
    mk("dir", 1);
    mk("dir/sub", 1);
    ln("/etc", "abs");
    ln("../../../..", "up");
    ln("../etc/file", "dir/rel");
    ln("/dir/rel", "dir/chain");
    ln("loop", "loop");
    int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

    cases("walk", walk_in_root, rootfd);
    /* Creating through an absolute link lands inside the root, never in the host's /etc. */
    int fd = walk_in_root(rootfd, "abs/created", O_CREAT | O_WRONLY, 0600);
    expect_same("walk create through abs link", fd, "etc/created");

    /* A magic link is only text to the walk: /proc/PID/root is looked up inside the root, which
     * has no /proc, instead of being followed by the kernel to the host's /. */
    char procroot[64];
    snprintf(procroot, sizeof procroot, "/proc/%d/root", (int)getpid());
    ln(procroot, "magic");
    expect_errno("walk magic link", walk_in_root(rootfd, "magic/etc/file", O_RDONLY, 0), ENOENT);

    if (syscall(437 /* openat2 */, -1, "", NULL, 0) < 0 && errno == ENOSYS)
        printf("open_in_root: this kernel has no openat2; only the fallback was checked\n");
    else
        cases("openat2", open_in_root, rootfd);

    close(rootfd);
    rm_tree();

    struct { const char *release; int ok; } kernels[] = {
        {"6.1.0-26-amd64", 1}, {"4.6.0", 1}, {"5.10.0-9-cloud-amd64", 1}, {"10.0", 1},
        {"4.5.7-generic", 0}, {"4.4.0-210-generic", 0}, {"3.19.8", 0},
        {"weird", 1}, /* unparseable: the floor cannot judge it, so it does not refuse */
    };
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
        if (kernel_at_least(kernels[i].release, 4, 6) == kernels[i].ok) {
            passed++;
        } else {
            printf("FAIL kernel_at_least(%s, 4, 6) != %d\n", kernels[i].release, kernels[i].ok);
            failed++;
        }
    }
    printf("util_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
