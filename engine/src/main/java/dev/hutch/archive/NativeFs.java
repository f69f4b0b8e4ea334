package dev.hutch.archive;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The three file system calls Java cannot make: {@code mknod} (overlay whiteouts are character
 * devices 0/0) and {@code lgetxattr}/{@code lsetxattr} for {@code trusted.*} attributes (Java's
 * {@code UserDefinedFileAttributeView} only reaches {@code user.*}). Loaded lazily: only layer
 * import, commit and export touch this class, never the {@code run} path.
 */
public final class NativeFs {
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        NativeLong lgetxattr(String path, String name, byte[] value, NativeLong size) throws LastErrorException;

        int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags) throws LastErrorException;

        int mknod(String path, int mode, long dev) throws LastErrorException;
    }

    private NativeFs() {}

    /** The attribute's value, or null if the file does not have it (or the fs has no xattrs). */
    public static String getXattr(Path path, String name) throws IOException {
        byte[] buf = new byte[256];
        try {
            long n = LibC.INSTANCE.lgetxattr(path.toString(), name, buf, new NativeLong(buf.length)).longValue();
            return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) return null;
            throw new IOException("lgetxattr " + name + " on " + path + " failed: errno " + e.getErrorCode(), e);
        }
    }

    public static void setXattr(Path path, String name, String value) throws IOException {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        try {
            LibC.INSTANCE.lsetxattr(path.toString(), name, v, new NativeLong(v.length), 0);
        } catch (LastErrorException e) {
            throw new IOException("lsetxattr " + name + " on " + path + " failed: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (trusted.* attributes need root)" : ""), e);
        }
    }

    /** Makes a character device 0/0 with mode 0: overlayfs's whiteout. Needs CAP_MKNOD. */
    public static void makeWhiteoutDevice(Path path) throws IOException {
        mknod(path, S_IFCHR, 0);
    }

    public static void makeFifo(Path path, int permissions) throws IOException {
        mknod(path, S_IFIFO | (permissions & 07777), 0);
    }

    private static void mknod(Path path, int mode, long dev) throws IOException {
        try {
            LibC.INSTANCE.mknod(path.toString(), mode, dev);
        } catch (LastErrorException e) {
            throw new IOException("mknod " + path + " failed: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (whiteouts need root)" : ""), e);
        }
    }
}
