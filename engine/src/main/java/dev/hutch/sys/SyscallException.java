package dev.hutch.sys;

import dev.hutch.HutchException;

/** A system call failed; carries the call's name and errno so callers can react to ENOENT, EEXIST... */
public final class SyscallException extends HutchException {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EBADF = 9, EBUSY = 16, EEXIST = 17, ENODEV = 19,
            EINVAL = 22, ENOSPC = 28, ENOSYS = 38, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENOBUFS = 105;

    private final String call;
    private final int errno;

    public SyscallException(String call, int errno, String detail) {
        super(call + (detail == null || detail.isEmpty() ? "" : " " + detail) + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() { return call; }

    public int errno() { return errno; }
}
