/*
 * A container in its own user namespace sees the image's layers as owned by nobody: they belong
 * to the host's root, which its namespace does not map. Instead of a chown-copy of every layer
 * per container, each layer is given an idmapped mount (mount_setattr MOUNT_ATTR_IDMAP, Linux
 * 5.12; overlayfs takes idmapped lower layers since 5.19), which shows host uid N as the
 * container's uid N, i.e. host uid hostStart+N seen from the host, and the overlay is mounted over
 * those. Making an idmapped mount needs CAP_SYS_ADMIN over the layer's file system (the host's
 * user namespace), which init no longer has, so the monitor does it, after the engine wrote the
 * maps (the idmapping is copied from them) and before it tells init "go":
 *
 *   in a child of the monitor (the monitor must stay in the host's mount namespace for its log):
 *   1. open_tree(OPEN_TREE_CLONE) each layer (a detached copy) and mount_setattr it with init's
 *      user namespace;
 *   2. setns into init's mount namespace (still a copy of the host's: init waits for "go") and make
 *      it private, so nothing below propagates to the host;
 *   3. move_mount each idmapped layer over the same path there, mount the overlay on the rootfs
 *      (the lowerdir paths now resolve to the idmapped layers), then detach the idmapped layers
 *      again (overlay keeps its own private clones of them).
 *
 * The overlay's superblock belongs to the host's user namespace (the monitor mounted it), so its
 * trusted.overlay.* xattrs work as for any container; the upper and work dirs are owned by the
 * container's root (the engine chowned them). init later pivots into this mount as usual.
 */
#define _GNU_SOURCE
#include "rootfs_idmap.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#define H_OPEN_TREE_CLONE 1
#define H_OPEN_TREE_CLOEXEC O_CLOEXEC
#define H_AT_RECURSIVE 0x8000
#define H_MOVE_MOUNT_F_EMPTY_PATH 0x4
#define H_MOUNT_ATTR_IDMAP 0x00100000

/* struct mount_attr of <linux/mount.h>, spelled out: glibc's <sys/mount.h> and the kernel header
 * clash on some systems. */
struct h_mount_attr {
    uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* recursive: a bind source's submounts come along (init rbinds it), each idmapped */
static int idmapped_clone(const char *path, int userns, int recursive)
{
    unsigned rec = recursive ? H_AT_RECURSIVE : 0;
    int fd = (int)syscall(SYS_open_tree, AT_FDCWD, path, H_OPEN_TREE_CLONE | H_OPEN_TREE_CLOEXEC | rec);
    if (fd < 0)
        return errp("open_tree %s", path);
    struct h_mount_attr attr = {.attr_set = H_MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return errp("idmapped mount of %s (needs Linux 5.12+ and a file system that supports it)", path);
    }
    return fd;
}

static int child(const struct launch *l, pid_t init)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)init);
    int userns = open(path, O_RDONLY | O_CLOEXEC);
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)init);
    int mntns = open(path, O_RDONLY | O_CLOEXEC);
    if (userns < 0 || mntns < 0)
        return errp("open the container's namespaces");
    int *fds = calloc(l->nidmap_layers + l->nidmap_binds + 1, sizeof *fds);
    if (!fds)
        return err("out of memory");
    for (size_t i = 0; i < l->nidmap_layers; i++)
        if ((fds[i] = idmapped_clone(l->idmap_layers[i], userns, 0)) < 0)
            return -1;
    int *bind_fds = fds + l->nidmap_layers;
    for (size_t i = 0; i < l->nidmap_binds; i++)
        if ((bind_fds[i] = idmapped_clone(l->idmap_binds[i], userns, 1)) < 0)
            return -1;
    if (setns(mntns, CLONE_NEWNS) < 0)
        return errp("join the container's mount namespace");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return errp("make the container's mounts private");
    for (size_t i = 0; i < l->nidmap_layers; i++)
        if (syscall(SYS_move_mount, fds[i], "", AT_FDCWD, l->idmap_layers[i], H_MOVE_MOUNT_F_EMPTY_PATH) < 0)
            return errp("attach the idmapped layer %s", l->idmap_layers[i]);
    if (l->rootfs_overlay && mount("overlay", l->rootfs, "overlay", 0, l->rootfs_overlay) < 0)
        return errp("mount the overlay over idmapped layers on %s", l->rootfs);
    for (size_t i = 0; i < l->nidmap_layers; i++)
        if (umount2(l->idmap_layers[i], MNT_DETACH) < 0)
            return errp("detach the idmapped layer %s", l->idmap_layers[i]);
    /* -v HOST:CTR:idmap: over the source's own path, where init's rbind finds it; it goes with
     * the old root at pivot_root like every host mount in init's namespace. */
    for (size_t i = 0; i < l->nidmap_binds; i++)
        if (syscall(SYS_move_mount, bind_fds[i], "", AT_FDCWD, l->idmap_binds[i], H_MOVE_MOUNT_F_EMPTY_PATH) < 0)
            return errp("attach the idmapped bind source %s", l->idmap_binds[i]);
    return 0;
}

int rootfs_idmap_mount(const struct launch *l, pid_t init)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return errp("pipe");
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return errp("fork");
    }
    if (pid == 0) {
        close(p[0]);
        if (child(l, init) < 0) {
            (void)write_all(p[1], hutch_err, strlen(hutch_err));
            _exit(1);
        }
        _exit(0);
    }
    close(p[1]);
    char buf[HUTCH_ERR_MAX];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && ((n = read(p[0], buf + len, sizeof buf - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
        if (n > 0)
            len += (size_t)n;
    buf[len] = 0;
    close(p[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return errp("wait for the rootfs mounter");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    return err("%s", len ? buf : "the rootfs mounter died");
}
