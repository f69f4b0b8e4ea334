#define _GNU_SOURCE
#include "mounts.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/*
 * Flags a bind remount must carry over from the existing mount. In a user namespace the kernel
 * locks them (EPERM if a remount would clear one), and a read-only source must stay read-only.
 */
static unsigned long locked_flags(const char *path)
{
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(path, &sv) < 0)
        return 0;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

static int bind_remount(const char *path, unsigned long flags, const char *what)
{
    flags &= MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
             MS_RELATIME | MS_STRICTATIME;
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags | locked_flags(path), NULL) < 0)
        return errp("remount %s", what);
    return 0;
}

/*
 * Open the target of a mount line (or create it), resolved inside the rootfs. The rootfs fd is
 * opened again for every line: after a mount on "/" the old fd still points at the directory
 * underneath the overlay.
 */
static int open_target(const char *rootfs, const struct mount_spec *m)
{
    int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return errp("open rootfs %s", rootfs);
    int fd = open_in_root(rootfd, m->target, O_PATH, 0);
    if (fd < 0 && errno == ENOENT && (m->extra & (MNT_X_MKDIR | MNT_X_FILE))) {
        if (m->extra & MNT_X_MKDIR) {
            if (mkdir_in_root(rootfd, m->target, 0755) < 0) {
                close(rootfd);
                return -1;
            }
        } else {
            const char *base;
            char tmp[PATH_MAX];
            int parent = open_parent_in_root(rootfd, m->target, 1, &base, tmp, sizeof tmp);
            if (parent < 0) {
                close(rootfd);
                return -1;
            }
            int f = openat(parent, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (f < 0 && errno != EEXIST) {
                errp("create mount target %s", m->target);
                close(parent);
                close(rootfd);
                return -1;
            }
            if (f >= 0)
                close(f);
            close(parent);
        }
        fd = open_in_root(rootfd, m->target, O_PATH, 0);
    }
    if (fd < 0)
        errp("mount target %s", m->target);
    close(rootfd);
    return fd;
}

static int mount_one(const char *rootfs, const struct mount_spec *m)
{
    int is_root = !strcmp(m->target, "/");
    char buf[64];
    int fd = -1;
    const char *path = rootfs; /* "/" of the container is the rootfs directory itself */
    if (!is_root) {
        if ((fd = open_target(rootfs, m)) < 0)
            return -1;
        path = fd_path(fd, buf, sizeof buf);
    }

    int rc = 0, sysfs_bound = 0;
    const char *fstype = *m->fstype ? m->fstype : NULL;
    const char *data = *m->data ? m->data : NULL;
    if (m->extra & MNT_X_BIND) {
        /* Per-mount flags are ignored by a bind: they take a remount, below. */
        if (mount(m->source, path, NULL, m->flags & (MS_BIND | MS_REC), NULL) < 0)
            rc = errp("bind mount %s on %s", m->source, m->target);
    } else if (mount(m->source, path, fstype, m->flags, data) < 0) {
        if (errno == EPERM && fstype && !strcmp(fstype, "sysfs")) {
            /* A user namespace that does not own the network namespace (--network host with
             * --userns) may not mount a new sysfs: bind the host's /sys instead, as runc does,
             * read-only by the remount below. */
            if (mount("/sys", path, NULL, MS_BIND | MS_REC, NULL) < 0)
                rc = errp("bind mount /sys on %s (no sysfs of its own in a user namespace)", m->target);
            else
                sysfs_bound = 1;
        } else {
            rc = errp("mount %s (%s) on %s", m->source, fstype ? fstype : "none", m->target);
        }
    }
    if (fd >= 0)
        close(fd);
    if (rc < 0)
        return rc;

    /* The fd above names the directory *under* the new mount; remount and propagation changes
     * need the new mount itself, so resolve the target again. */
    int needs_remount = ((m->extra & MNT_X_BIND) || sysfs_bound) && (m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
    if (!needs_remount && !m->propagation)
        return 0;
    fd = -1;
    path = rootfs;
    if (!is_root) {
        struct mount_spec again = *m;
        again.extra &= ~(unsigned)(MNT_X_MKDIR | MNT_X_FILE);
        if ((fd = open_target(rootfs, &again)) < 0)
            return -1;
        path = fd_path(fd, buf, sizeof buf);
    }
    if (needs_remount)
        rc = bind_remount(path, m->flags, m->target);
    if (rc == 0 && m->propagation && mount(NULL, path, NULL, m->propagation, NULL) < 0)
        rc = errp("set propagation of %s", m->target);
    if (fd >= 0)
        close(fd);
    return rc;
}

static int make_device(int rootfd, const struct device_spec *d)
{
    const char *base;
    char tmp[PATH_MAX], buf[64];
    int parent = open_parent_in_root(rootfd, d->path, 1, &base, tmp, sizeof tmp);
    if (parent < 0)
        return -1;
    mode_t type = d->type == 'b' ? S_IFBLK : S_IFCHR;
    int rc = mknodat(parent, base, type | d->mode, makedev(d->major, d->minor));
    if (rc < 0 && errno == EEXIST) {
        /* An image may ship its own /dev entries: the plan's node wins. */
        if (unlinkat(parent, base, 0) == 0)
            rc = mknodat(parent, base, type | d->mode, makedev(d->major, d->minor));
    }
    if (rc == 0) {
        /* mknod applied the umask; set the mode the plan asked for. */
        if (fchmodat(parent, base, d->mode, 0) < 0)
            rc = errp("chmod device %s", d->path);
        else if (d->has_owner && fchownat(parent, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
            rc = errp("chown device %s", d->path);
        close(parent);
        return rc;
    }
    if (errno != EPERM) {
        errp("mknod %s", d->path);
        close(parent);
        return -1;
    }
    /* No CAP_MKNOD over this filesystem (a user namespace): bind-mount the host's node onto an
     * empty file instead, the way runc does. The host path is the same path, still reachable
     * because pivot_root has not happened yet. */
    int f = openat(parent, base, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    close(parent);
    if (f < 0)
        return errp("create bind target for device %s", d->path);
    close(f);
    int t = open_in_root(rootfd, d->path, O_PATH, 0);
    if (t < 0)
        return errp("open device target %s", d->path);
    rc = mount(d->path, fd_path(t, buf, sizeof buf), NULL, MS_BIND, NULL);
    close(t);
    if (rc < 0)
        return errp("bind mount device %s", d->path);
    return 0;
}

static int make_symlink(int rootfd, const struct symlink_spec *s)
{
    const char *base;
    char tmp[PATH_MAX];
    int parent = open_parent_in_root(rootfd, s->linkpath, 1, &base, tmp, sizeof tmp);
    if (parent < 0)
        return -1;
    int rc = symlinkat(s->target, parent, base);
    close(parent);
    if (rc < 0 && errno != EEXIST)
        return errp("symlink %s -> %s", s->linkpath, s->target);
    return 0;
}

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#define H_OPEN_TREE_CLONE 1
#define H_MOVE_MOUNT_F_EMPTY_PATH 0x4

/*
 * --ipc container:NAME: the other container's /dev/shm (a tmpfs in its own mount namespace) becomes
 * ours, so POSIX shared memory is shared as the SysV objects are. A bind mount cannot reach into
 * another mount namespace, but a detached clone made there can be attached here: enter its
 * namespace, open_tree(OPEN_TREE_CLONE) its /dev/shm, come back, move_mount the clone into place.
 */
static int share_shm(const struct launch *l)
{
    int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return errp("open /proc/self/ns/mnt");
    int other = open(l->shm_from, O_RDONLY | O_CLOEXEC);
    if (other < 0) {
        close(self);
        return errp("open %s (has the other container stopped?)", l->shm_from);
    }
    int rc = 0;
    if (setns(other, CLONE_NEWNS) < 0) {
        rc = errp("enter the mount namespace %s", l->shm_from);
    } else {
        int tree = (int)syscall(SYS_open_tree, AT_FDCWD, "/dev/shm", H_OPEN_TREE_CLONE | O_CLOEXEC);
        int e = errno;
        /* Back home whatever happened: nothing may be mounted in the other container. */
        if (setns(self, CLONE_NEWNS) < 0) {
            errp("return to the container's own mount namespace");
            _exit(125);
        }
        if (tree < 0) {
            errno = e;
            rc = errp("clone /dev/shm of %s", l->shm_from);
        } else {
            char target[4096];
            snprintf(target, sizeof target, "%s/dev/shm", l->rootfs);
            if (mkdir(target, 01777) < 0 && errno != EEXIST)
                rc = errp("mkdir %s", target);
            else if (syscall(SYS_move_mount, tree, "", AT_FDCWD, target, H_MOVE_MOUNT_F_EMPTY_PATH) < 0)
                rc = errp("mount the shared /dev/shm on %s", target);
            close(tree);
        }
    }
    close(other);
    close(self);
    return rc;
}

int mounts_setup(const struct launch *l)
{
    /* Nothing done below may propagate back to the host: make the whole tree private first. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return errp("make / private");

    /* pivot_root needs the new root to be a mount point. Normally the first mount line puts
     * the overlay on "/"; a plain directory rootfs is bound onto itself instead. */
    int root_mounted = 0;
    for (size_t i = 0; i < l->nmounts; i++)
        root_mounted |= !strcmp(l->mounts[i].target, "/");
    if (!root_mounted && mount(l->rootfs, l->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return errp("bind mount rootfs %s", l->rootfs);

    for (size_t i = 0; i < l->nmounts; i++)
        if (mount_one(l->rootfs, &l->mounts[i]) < 0)
            return -1;
    if (l->shm_from && share_shm(l) < 0)
        return -1;

    /* Devices and symlinks after the mounts: /dev is normally a tmpfs mounted just above. */
    int rootfd = open(l->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return errp("open rootfs %s", l->rootfs);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->ndevices; i++)
        rc = make_device(rootfd, &l->devices[i]);
    for (size_t i = 0; rc == 0 && i < l->nsymlinks; i++)
        rc = make_symlink(rootfd, &l->symlinks[i]);
    close(rootfd);
    return rc;
}

int mounts_pivot(const char *rootfs)
{
    /* runc's pivot_root(".", ".") sequence: no directory for the old root is needed inside the
     * container, so nothing can be left behind there. */
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0)
        return errp("open /");
    int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (newroot < 0) {
        close(oldroot);
        return errp("open rootfs %s", rootfs);
    }
    int rc = -1;
    if (fchdir(newroot) < 0) {
        errp("chdir to rootfs");
        goto out;
    }
    if (syscall(SYS_pivot_root, ".", ".") < 0) {
        errp("pivot_root %s", rootfs);
        goto out;
    }
    /* The old root is now stacked under the new one; step onto it to detach it. */
    if (fchdir(oldroot) < 0) {
        errp("chdir to old root");
        goto out;
    }
    /* Slave before unmount so the unmount cannot propagate anywhere (everything is private
     * already; this guards against a plan that made something shared). */
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
        errp("make old root rslave");
        goto out;
    }
    if (umount2(".", MNT_DETACH) < 0) {
        errp("unmount old root");
        goto out;
    }
    if (chdir("/") < 0) {
        errp("chdir /");
        goto out;
    }
    /* A cwd outside the new root would be a way out of the container (runc CVE-2024-21626
     * class): verify instead of assuming. */
    char cwd[8];
    if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, "/")) {
        err("after pivot_root the working directory is not \"/\"");
        goto out;
    }
    rc = 0;
out:
    close(oldroot);
    close(newroot);
    return rc;
}

int mounts_mask_and_protect(const struct launch *l)
{
    struct stat st;
    for (size_t i = 0; i < l->nmasked; i++) {
        const char *p = l->masked[i];
        if (lstat(p, &st) < 0) {
            if (errno == ENOENT)
                continue; /* nothing to hide */
            return errp("masked path %s", p);
        }
        int rc;
        if (S_ISDIR(st.st_mode))
            rc = mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0");
        else
            rc = mount("/dev/null", p, NULL, MS_BIND, NULL);
        if (rc < 0)
            return errp("mask %s", p);
    }
    for (size_t i = 0; i < l->nreadonly; i++) {
        const char *p = l->readonly[i];
        if (lstat(p, &st) < 0) {
            if (errno == ENOENT)
                continue;
            return errp("readonly path %s", p);
        }
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
            return errp("bind readonly path %s", p);
        if (bind_remount(p, MS_RDONLY, p) < 0)
            return -1;
    }
    return 0;
}

int mounts_readonly_root(void)
{
    return bind_remount("/", MS_RDONLY, "/ read-only");
}
