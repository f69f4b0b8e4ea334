/*
 * hutch-client --newer-than STAMP PATH...: the launcher's "is the build stale?" question, asked
 * on every command. `find -newer` answers it too, but starting find costs the launcher more than
 * the walk itself; the client is already a static binary with no start-up to speak of.
 *
 * Exit 0 when a regular file under one of the PATHs (a file, or a directory walked recursively,
 * skipping directories named "target", Maven's output) has an mtime later than STAMP's; 1 when
 * none has; 2 when STAMP or a PATH cannot be read (the launcher then asks find instead).
 */
#define _GNU_SOURCE
#include "stale_check.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* 1: a newer file is under dirfd; 0: none; -1: unreadable. Takes ownership of dirfd. */
static int newer_in(int dirfd, const struct timespec *stamp, int depth)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return -1;
    }
    int found = 0;
    struct dirent *e;
    while (found == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue; /* gone meanwhile */
        if (S_ISREG(st.st_mode)) {
            if (later(&st.st_mtim, stamp)) found = 1;
        } else if (S_ISDIR(st.st_mode) && strcmp(e->d_name, "target") != 0 && depth < 64) {
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
            if (sub >= 0) found = newer_in(sub, stamp, depth + 1);
        }
    }
    closedir(d);
    return found;
}

int stale_check(const char *stamp_path, char **paths, int npaths)
{
    struct stat stamp;
    if (stat(stamp_path, &stamp) != 0) return 2;
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) return 2;
        if (S_ISREG(st.st_mode)) {
            if (later(&st.st_mtim, &stamp.st_mtim)) return 0;
            continue;
        }
        int fd = open(paths[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return 2;
        int r = newer_in(fd, &stamp.st_mtim, 0);
        if (r < 0) return 2;
        if (r == 1) return 0;
    }
    return 1;
}
