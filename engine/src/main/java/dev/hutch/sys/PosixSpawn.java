package dev.hutch.sys;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * posix_spawn(3) with the child's stdin, stdout and stderr taken from given descriptors, and the
 * wait/reap calls for such a child. What {@link ProcessBuilder} cannot do: a child whose stdio is
 * a descriptor the JVM received (the engine service's caller's), with an environment of the
 * caller's rather than this JVM's.
 *
 * <p>The child starts as a fresh process would: signal mask empty, every signal at its default
 * action (a JVM ignores or handles some), descriptors 3 and up closed (the JVM opens most of its
 * files without close-on-exec; a long-lived container monitor must not keep another request's
 * pipe open). Its process group and session are this JVM's, as with ProcessBuilder.
 */
public final class PosixSpawn {
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int P_PID = 1, WEXITED = 4, WNOWAIT = 0x01000000, EINTR = 4, ECHILD = 10;
    /** glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on LP64; room to spare. */
    private static final int OPAQUE = 1024, SIGSET = 128, SIGINFO = 128;

    private PosixSpawn() {}

    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);
        static native int posix_spawn_file_actions_init(Pointer fa);
        static native int posix_spawn_file_actions_destroy(Pointer fa);
        static native int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newFd);
        static native int posix_spawn_file_actions_addclose(Pointer fa, int fd);
        static native int posix_spawnattr_init(Pointer attr);
        static native int posix_spawnattr_destroy(Pointer attr);
        static native int posix_spawnattr_setflags(Pointer attr, short flags);
        static native int posix_spawnattr_setsigmask(Pointer attr, Pointer set);
        static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);
        static native int sigemptyset(Pointer set);
        static native int sigfillset(Pointer set);
        static native int waitid(int idType, int id, Pointer info, int options) throws LastErrorException;
        static native int waitpid(int pid, int[] status, int options) throws LastErrorException;
        static native int open(String path, int flags, int mode) throws LastErrorException;
        static native int close(int fd) throws LastErrorException;
        static native int pipe2(int[] fds, int flags) throws LastErrorException;
    }

    /** glibc 2.34 and later; older ones get one close action per open descriptor instead. */
    private static final class CloseFrom {
        static final Function FN = find();

        private static Function find() {
            try {
                return NativeLibrary.getInstance("c").getFunction("posix_spawn_file_actions_addclosefrom_np");
            } catch (UnsatisfiedLinkError e) {
                return null;
            }
        }
    }

    /**
     * Starts {@code path} with {@code argv} and exactly {@code envp} ("KEY=VALUE"), its fds 0, 1, 2
     * being copies of {@code stdio[0..2]} (any descriptors of this process, 0-2 included, the same
     * one more than once allowed).
     *
     * @return the child's pid; the caller must reap it ({@link #awaitExit}, {@link #reap})
     * @throws IOException as ProcessBuilder does when the program cannot be run
     */
    public static int spawn(String path, List<String> argv, List<String> envp, int[] stdio) throws IOException {
        Memory fa = new Memory(OPAQUE), attr = new Memory(OPAQUE), none = new Memory(SIGSET), all = new Memory(SIGSET);
        check("posix_spawn_file_actions_init", LibC.posix_spawn_file_actions_init(fa));
        try {
            check("posix_spawnattr_init", LibC.posix_spawnattr_init(attr));
            try {
                // First each source onto a number above all of them, then those onto 0, 1, 2: a
                // source that is itself 0-2 is never overwritten before it is copied, and no
                // dup2(fd, fd) (a no-op that would keep close-on-exec) ever happens.
                int above = Math.max(2, Math.max(stdio[0], Math.max(stdio[1], stdio[2]))) + 1;
                for (int i = 0; i < 3; i++) check("posix_spawn_file_actions_adddup2", LibC.posix_spawn_file_actions_adddup2(fa, stdio[i], above + i));
                for (int i = 0; i < 3; i++) check("posix_spawn_file_actions_adddup2", LibC.posix_spawn_file_actions_adddup2(fa, above + i, i));
                closeFrom(fa, 3);
                LibC.sigemptyset(none);
                LibC.sigfillset(all);
                check("posix_spawnattr_setsigmask", LibC.posix_spawnattr_setsigmask(attr, none));
                check("posix_spawnattr_setsigdefault", LibC.posix_spawnattr_setsigdefault(attr, all));
                check("posix_spawnattr_setflags", LibC.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
                int[] pid = new int[1];
                int err = LibC.posix_spawn(pid, path, fa, attr, new StringArray(argv.toArray(new String[0])),
                        new StringArray(envp.toArray(new String[0])));
                if (err != 0) throw new IOException("Cannot run program \"" + path + "\": error=" + err + ", " + Errno.describe(err));
                return pid[0];
            } finally {
                LibC.posix_spawnattr_destroy(attr);
            }
        } finally {
            LibC.posix_spawn_file_actions_destroy(fa);
        }
    }

    private static void closeFrom(Memory fa, int lowest) throws IOException {
        if (CloseFrom.FN != null) {
            check("posix_spawn_file_actions_addclosefrom_np", CloseFrom.FN.invokeInt(new Object[] {fa, lowest}));
            return;
        }
        // Descriptors opened by other threads after this look may leak; glibc ignores a close of
        // one closed meanwhile. Only hosts older than glibc 2.34 come here.
        List<Integer> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> open.add(Integer.parseInt(p.getFileName().toString())));
        }
        for (int fd : open) if (fd >= lowest) check("posix_spawn_file_actions_addclose", LibC.posix_spawn_file_actions_addclose(fa, fd));
    }

    private static void check(String call, int err) throws IOException {
        if (err != 0) throw new IOException(call + ": " + Errno.describe(err));
    }

    /** Blocks until the child has ended, without reaping it (its pid stays reserved until {@link #reap}). */
    public static void awaitExit(int pid) {
        Memory info = new Memory(SIGINFO);
        while (true) {
            try {
                LibC.waitid(P_PID, pid, info, WEXITED | WNOWAIT);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) throw new SyscallException("waitid", e.getErrorCode(), "(pid " + pid + ")");
            }
        }
    }

    /**
     * Reaps the ended child. @return its exit code as Java's Process gives it: the code, or 128+N
     * when signal N ended it; -1 when it was not ours to reap (ECHILD)
     */
    public static int reap(int pid) {
        int[] status = new int[1];
        while (true) {
            try {
                LibC.waitpid(pid, status, 0);
                break;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ECHILD) return -1;
                if (e.getErrorCode() != EINTR) throw new SyscallException("waitpid", e.getErrorCode(), "(pid " + pid + ")");
            }
        }
        int s = status[0], sig = s & 0x7f;
        return sig == 0 ? (s >> 8) & 0xff : 128 + sig;
    }

    /** open(2) with O_CLOEXEC added; for the detached child's /dev/null and stderr file. */
    public static int open(String path, int flags, int mode) throws IOException {
        try {
            return LibC.open(path, flags | O_CLOEXEC, mode);
        } catch (LastErrorException e) {
            throw new IOException(path + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_TRUNC = 0x200, O_APPEND = 0x400,
            O_CLOEXEC = 0x80000;

    /** A pipe, both ends close-on-exec: {read, write}. */
    public static int[] pipe() {
        int[] fds = new int[2];
        try {
            LibC.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SyscallException("pipe2", e.getErrorCode(), null);
        }
        return fds;
    }

    public static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            throw new SyscallException("close", e.getErrorCode(), "(fd " + fd + ")");
        }
    }
}
