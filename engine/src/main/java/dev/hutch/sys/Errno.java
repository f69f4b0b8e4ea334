package dev.hutch.sys;

/** Names and texts of the errno values hutch meets, so messages stay readable without strerror(). */
public final class Errno {
    private Errno() {}

    public static String describe(int errno) {
        String text = switch (errno) {
            case 1 -> "EPERM (operation not permitted; hutch needs root for this)";
            case 2 -> "ENOENT (no such file or directory)";
            case 3 -> "ESRCH (no such process)";
            case 9 -> "EBADF (bad file descriptor)";
            case 13 -> "EACCES (permission denied)";
            case 16 -> "EBUSY (device or resource busy)";
            case 17 -> "EEXIST (already exists)";
            case 19 -> "ENODEV (no such device)";
            case 22 -> "EINVAL (invalid argument)";
            case 28 -> "ENOSPC (no space left)";
            case 34 -> "ERANGE (result out of range)";
            case 38 -> "ENOSYS (this kernel does not have the call)";
            case 95 -> "EOPNOTSUPP (operation not supported)";
            case 97 -> "EAFNOSUPPORT (address family not supported)";
            case 98 -> "EADDRINUSE (address already in use)";
            case 99 -> "EADDRNOTAVAIL (cannot assign requested address)";
            case 105 -> "ENOBUFS (no buffer space available)";
            default -> null;
        };
        return text != null ? text : "errno " + errno;
    }
}
