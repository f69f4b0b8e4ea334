#define _GNU_SOURCE
#include "memfd_reexec.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MARKER "_HUTCH_HELPER_MEMFD"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

extern char **environ;

/* What a copy must carry for nobody to change it (F_SEAL_SEAL: nor unseal it). */
#define SEALED (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

int memfd_reexec(char **argv)
{
    char *mark = getenv(MARKER);
    if (mark) {
        /* We are the copy. The marker must not reach the container's environment (the command
         * gets exactly the plan's env anyway) nor a nested helper. unsetenv only drops the
         * pointer; blank the string too, so /proc/<pid>/environ does not show it either. */
        char *entry = mark - sizeof MARKER; /* "NAME=value": back over "NAME=" */
        unsetenv(MARKER);
        memset(entry, 0, strlen(entry));
        return 0;
    }
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (src < 0)
        return errp("open /proc/self/exe");
    /* Already exec'd from a sealed copy (the engine service keeps one for all its helpers): its
     * bytes can change no more than ours would after a copy. Only a memfd has seals; for a
     * regular file F_GET_SEALS fails, and we copy. */
    int seals = fcntl(src, F_GET_SEALS);
    if (seals >= 0 && (seals & SEALED) == SEALED) {
        close(src);
        return 0;
    }
    /* MFD_EXEC: kernels with vm.memfd_noexec make memfds non-executable unless asked;
     * older kernels reject the flag with EINVAL, then the default is executable. */
    int mfd = (int)syscall(SYS_memfd_create, "hutch-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (mfd < 0 && errno == EINVAL)
        mfd = (int)syscall(SYS_memfd_create, "hutch-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0) {
        close(src);
        return errp("memfd_create");
    }
    struct stat st;
    if (fstat(src, &st) < 0) {
        close(src);
        close(mfd);
        return errp("stat /proc/self/exe");
    }
    off_t left = st.st_size;
    while (left > 0) {
        ssize_t n = sendfile(mfd, src, NULL, (size_t)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(src);
            close(mfd);
            return errp("copy /proc/self/exe");
        }
        left -= n;
    }
    close(src);
    /* Sealed: nobody, not even root through /proc/<pid>/fd, can change the copy's bytes. */
    if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
        close(mfd);
        return errp("seal memfd");
    }
    if (setenv(MARKER, "1", 1) < 0) {
        close(mfd);
        return errp("setenv");
    }
    /* The memfd is O_CLOEXEC: for an ELF binary execveat(AT_EMPTY_PATH) maps it before the
     * close, and no copy of the fd survives in the new image. */
    fexecve(mfd, argv, environ);
    int e = errno;
    unsetenv(MARKER);
    close(mfd);
    errno = e;
    return errp("fexecve memfd copy");
}
