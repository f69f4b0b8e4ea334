package dev.hutch.net.netlink;

import dev.hutch.HutchException;
import dev.hutch.sys.Errno;

/** The kernel refused a netlink request; {@link #errno()} says why (EEXIST, ENODEV, EPERM...). */
public final class NetlinkException extends HutchException {
    private final int errno;

    public NetlinkException(String what, int errno, String kernelMessage) {
        super(what + " failed: " + Errno.describe(errno)
                + (kernelMessage == null || kernelMessage.isEmpty() ? "" : " (kernel says: " + kernelMessage + ")"));
        this.errno = errno;
    }

    public int errno() { return errno; }
}
