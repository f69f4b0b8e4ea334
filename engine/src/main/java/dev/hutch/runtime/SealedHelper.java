package dev.hutch.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The helper's bytes in one sealed memfd per JVM, which the engine service execs every helper
 * from. The helper protects itself against CVE-2019-5736 (a container reaching the host's binary
 * through /proc/PID/exe) by copying itself into a sealed memfd and exec'ing that copy: a second
 * exec per container, milliseconds on a slow host. A sealed copy can be changed by nobody, so
 * one serves every container; the helper sees its seals (memfd_reexec.c) and does not copy itself
 * again. Where a memfd cannot be made or executed (vm.memfd_noexec=2), the helper's file is
 * exec'd and it copies itself as before.
 *
 * <p>Used by the service's spawner only ({@link DescriptorStdio}): JNA is not loaded by the
 * in-process CLI's run path, and ProcessBuilder cannot exec one path under another argv[0].
 */
final class SealedHelper {
    private static final int MFD_CLOEXEC = 0x1, MFD_ALLOW_SEALING = 0x2, MFD_EXEC = 0x10, EINVAL = 22;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEAL_SEAL = 0x1, F_SEAL_SHRINK = 0x2, F_SEAL_GROW = 0x4, F_SEAL_WRITE = 0x8;

    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int memfd_create(String name, int flags) throws LastErrorException;

        static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    /** A copy, valid while the helper's file keeps the mtime and size it had when copied. */
    private record Copy(int fd, String version) {}

    private static final Map<Path, Copy> COPIES = new ConcurrentHashMap<>();

    private SealedHelper() {}

    /**
     * The path to exec for {@code helper}: {@code /proc/<this pid>/fd/<memfd>} (resolved through
     * this JVM's descriptor table, so the spawned child need not inherit the fd), or the helper
     * itself when no sealed copy can be had.
     */
    static String executableFor(String helper) {
        Path file = Path.of(helper);
        String version;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            version = a.lastModifiedTime() + "/" + a.size();
        } catch (IOException e) {
            return helper; // the spawn reports the missing file
        }
        Copy copy = COPIES.compute(file, (f, old) -> {
            if (old != null && old.version().equals(version)) return old;
            if (old != null) close(old.fd()); // a rebuilt helper: nothing execs the old copy any more
            int fd = sealedCopy(f);
            return fd < 0 ? null : new Copy(fd, version);
        });
        return copy == null ? helper : "/proc/" + ProcessHandle.current().pid() + "/fd/" + copy.fd();
    }

    /** A memfd holding the file's bytes, sealed against every change; -1 when none can be made. */
    private static int sealedCopy(Path file) {
        int fd;
        try {
            fd = create();
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return -1;
        }
        try (OutputStream out = Files.newOutputStream(Path.of("/proc/self/fd/" + fd), StandardOpenOption.WRITE)) {
            Files.copy(file, out);
        } catch (IOException e) {
            close(fd);
            return -1;
        }
        try {
            LibC.fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
        } catch (LastErrorException e) {
            close(fd);
            return -1;
        }
        return fd;
    }

    /** MFD_EXEC where the kernel knows it (vm.memfd_noexec makes memfds non-executable unless asked). */
    private static int create() {
        try {
            return LibC.memfd_create("hutch-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINVAL) throw e;
            return LibC.memfd_create("hutch-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        }
    }

    private static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do about it
        }
    }
}
