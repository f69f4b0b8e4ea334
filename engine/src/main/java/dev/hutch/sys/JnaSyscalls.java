package dev.hutch.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * {@link Syscalls} through JNA direct mapping (the fastest JNA binding: no proxy, no reflection
 * per call). {@code size_t}/{@code ssize_t} are mapped to {@code long}: hutch runs on 64-bit Linux
 * only (LP64).
 */
final class JnaSyscalls implements Syscalls {
    static final JnaSyscalls INSTANCE = new JnaSyscalls();

    private JnaSyscalls() {}

    /** The libc entry points; registered once, on first use of this class. */
    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

        static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native int open(String path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int setns(int fd, int nstype) throws LastErrorException;

        static native int mount(String source, String target, String fstype, long flags, Pointer data)
                throws LastErrorException;

        static native int umount2(String target, int flags) throws LastErrorException;

        static native int kill(int pid, int sig) throws LastErrorException;

        /** syscall(2) with two int arguments; glibc's syscall only moves registers, so a fixed
         *  prototype for the variadic function is safe on x86_64 and aarch64. */
        static native long syscall(long number, int a, int b) throws LastErrorException;

        /** struct pollfd as two ints: fd, then events (low half) and revents (high half), little-endian. */
        static native int poll(int[] fds, long nfds, int timeout) throws LastErrorException;
    }

    /** pidfd_open's number in the generic table, the same on x86_64 and aarch64. */
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int POLLIN = 0x1, EINTR = 4;

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return LibC.socket(domain, type, protocol);
        } catch (LastErrorException e) {
            throw new SyscallException("socket", e.getErrorCode(), "(domain " + domain + ", protocol " + protocol + ")");
        }
    }

    @Override
    public void setsockoptInt(int fd, int level, int name, int value) {
        try {
            LibC.setsockopt(fd, level, name, new int[] {value}, 4);
        } catch (LastErrorException e) {
            throw new SyscallException("setsockopt", e.getErrorCode(), "(level " + level + ", option " + name + ")");
        }
    }

    @Override
    public void send(int fd, byte[] buf, int len) {
        long sent;
        try {
            sent = LibC.send(fd, buf, len, 0);
        } catch (LastErrorException e) {
            throw new SyscallException("send", e.getErrorCode(), null);
        }
        if (sent != len) throw new SyscallException("send", SyscallException.ENOBUFS, "(sent " + sent + " of " + len + " bytes)");
    }

    @Override
    public int recv(int fd, byte[] buf) {
        while (true) {
            try {
                return (int) LibC.recv(fd, buf, buf.length, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == 4) continue; // EINTR: a signal arrived; the data is still there
                throw new SyscallException("recv", e.getErrorCode(), null);
            }
        }
    }

    @Override
    public int open(String path, int flags) {
        try {
            return LibC.open(path, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("open", e.getErrorCode(), path);
        }
    }

    @Override
    public void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            throw new SyscallException("close", e.getErrorCode(), "fd " + fd);
        }
    }

    @Override
    public void setns(int fd, int nstype) {
        try {
            LibC.setns(fd, nstype);
        } catch (LastErrorException e) {
            throw new SyscallException("setns", e.getErrorCode(), "fd " + fd);
        }
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        try {
            Pointer p = null;
            if (data != null) {
                com.sun.jna.Memory m = new com.sun.jna.Memory(data.length() + 1L);
                m.setString(0, data);
                p = m;
            }
            LibC.mount(source, target, fstype, flags, p);
        } catch (LastErrorException e) {
            throw new SyscallException("mount", e.getErrorCode(), source + " on " + target);
        }
    }

    @Override
    public void umount2(String target, int flags) {
        try {
            LibC.umount2(target, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("umount2", e.getErrorCode(), target);
        }
    }

    @Override
    public int pidfdOpen(int pid) {
        try {
            return (int) LibC.syscall(SYS_PIDFD_OPEN, pid, 0);
        } catch (LastErrorException e) {
            throw new SyscallException("pidfd_open", e.getErrorCode(), "pid " + pid);
        }
    }

    @Override
    public boolean pollIn(int fd, int timeoutMillis) {
        int[] pollfd = {fd, POLLIN};
        try {
            return LibC.poll(pollfd, 1, timeoutMillis) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR) return false; // a signal: the caller looks again
            throw new SyscallException("poll", e.getErrorCode(), "fd " + fd);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try {
            LibC.kill(pid, signal);
        } catch (LastErrorException e) {
            throw new SyscallException("kill", e.getErrorCode(), "pid " + pid + " signal " + signal);
        }
    }
}
