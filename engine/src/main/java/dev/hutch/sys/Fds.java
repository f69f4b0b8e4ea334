package dev.hutch.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Plain descriptors for a caller that hands a child its stdio and relays the other ends itself
 * (the Docker API's attach and exec): blocking read and write, close, a pty pair, its window size.
 * Every descriptor made here is close-on-exec; a child gets one only through posix_spawn's dup2.
 */
public final class Fds {
    private static final int EINTR = 4, EIO = 5, O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    private static final long TIOCSWINSZ = 0x5414, TIOCGWINSZ = 0x5413;
    private static final int TCSANOW = 0, TERMIOS_SIZE = 64;

    private Fds() {}

    private static final class LibC {
        static {
            Native.register("c");
        }

        static native long read(int fd, byte[] buf, long count) throws LastErrorException;
        static native long write(int fd, byte[] buf, long count) throws LastErrorException;
        static native int close(int fd) throws LastErrorException;
        static native int posix_openpt(int flags) throws LastErrorException;
        static native int grantpt(int fd) throws LastErrorException;
        static native int unlockpt(int fd) throws LastErrorException;
        static native int ptsname_r(int fd, byte[] buf, long len);
        static native int open(String path, int flags, int mode) throws LastErrorException;
        static native int ioctl(int fd, long request, short[] winsize) throws LastErrorException;
        static native int tcgetattr(int fd, Memory termios) throws LastErrorException;
        static native int tcsetattr(int fd, int when, Memory termios) throws LastErrorException;
        static native void cfmakeraw(Memory termios);
    }

    /** A pty: the master the caller relays, the slave a child gets as its terminal. */
    public record Pty(int master, int slave) {}

    /**
     * read(2), retried on EINTR. @return the bytes read, 0 at end of file (also EIO on a pty
     * master whose slaves are all closed: that is its end of file)
     */
    public static int read(int fd, byte[] buf) {
        while (true) {
            try {
                return (int) LibC.read(fd, buf, buf.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) continue;
                if (e.getErrorCode() == EIO) return 0;
                throw new SyscallException("read", e.getErrorCode(), "(fd " + fd + ")");
            }
        }
    }

    /** write(2) of all of {@code len} bytes, retried on EINTR and short writes. */
    public static void write(int fd, byte[] buf, int len) {
        int off = 0;
        byte[] rest = buf;
        while (off < len) {
            if (off > 0) rest = java.util.Arrays.copyOfRange(buf, off, len);
            try {
                off += (int) LibC.write(fd, rest, off > 0 ? rest.length : len);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) continue;
                throw new SyscallException("write", e.getErrorCode(), "(fd " + fd + ")");
            }
        }
    }

    /** close(2); a descriptor already closed (EBADF) is not an error here. */
    public static void close(int fd) {
        if (fd < 0) return;
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != SyscallException.EBADF) throw new SyscallException("close", e.getErrorCode(), "(fd " + fd + ")");
        }
    }

    /** /dev/null, read-write, close-on-exec. */
    public static int devNull() {
        try {
            return LibC.open("/dev/null", O_RDWR | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new SyscallException("open", e.getErrorCode(), "/dev/null");
        }
    }

    /**
     * A new pty pair, the slave in raw mode: the child relays a container's own pty, which already
     * did the line discipline's work (a cooked slave would turn its "\r\n" into "\r\r\n").
     */
    public static Pty openPty() {
        int master;
        try {
            master = LibC.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SyscallException("posix_openpt", e.getErrorCode(), null);
        }
        try {
            LibC.grantpt(master);
            LibC.unlockpt(master);
            byte[] name = new byte[128];
            int err = LibC.ptsname_r(master, name, name.length);
            if (err != 0) throw new SyscallException("ptsname_r", err, null);
            String path = Native.toString(name);
            int slave = LibC.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
            try {
                Memory t = new Memory(TERMIOS_SIZE);
                LibC.tcgetattr(slave, t);
                LibC.cfmakeraw(t);
                LibC.tcsetattr(slave, TCSANOW, t);
            } catch (LastErrorException e) {
                close(slave);
                throw e;
            }
            return new Pty(master, slave);
        } catch (LastErrorException e) {
            close(master);
            throw new SyscallException("pty", e.getErrorCode(), null);
        } catch (RuntimeException e) {
            close(master);
            throw e;
        }
    }

    /**
     * Opens a terminal by path (read-write, not made our controlling terminal, close-on-exec),
     * e.g. {@code /proc/PID/fd/0}, to set its size from outside the process that holds it.
     */
    public static int openTerminal(String path) {
        try {
            return LibC.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new SyscallException("open", e.getErrorCode(), path);
        }
    }

    /** TIOCGWINSZ: the terminal's size as {rows, columns}. */
    public static int[] windowSize(int fd) {
        short[] ws = new short[4];
        try {
            LibC.ioctl(fd, TIOCGWINSZ, ws);
        } catch (LastErrorException e) {
            throw new SyscallException("ioctl TIOCGWINSZ", e.getErrorCode(), "(fd " + fd + ")");
        }
        return new int[] {ws[0] & 0xffff, ws[1] & 0xffff};
    }

    /** TIOCSWINSZ: the terminal's size in rows and columns. */
    public static void setWindowSize(int fd, int rows, int columns) {
        try {
            LibC.ioctl(fd, TIOCSWINSZ, new short[] {(short) rows, (short) columns, 0, 0});
        } catch (LastErrorException e) {
            throw new SyscallException("ioctl TIOCSWINSZ", e.getErrorCode(), "(fd " + fd + ")");
        }
    }
}
