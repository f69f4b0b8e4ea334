package dev.hutch.util;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An exclusive lock between processes (a POSIX record lock on a file, FileChannel.lock) and
 * between threads of this JVM (one {@link ReentrantLock} per lock file, taken first). Every lock
 * file of the engine goes through here, because the engine service runs many requests in one JVM:
 * <ul>
 *   <li>the JVM refuses a second FileChannel.lock on a file it already locks
 *       (OverlappingFileLockException), so threads must queue in the JVM first;</li>
 *   <li>the kernel drops a process's POSIX locks on a file when the process closes ANY descriptor
 *       of that file, so a lock file holds no data and nothing else in the engine opens it: the
 *       one channel that locks it is the only descriptor this JVM ever has on it.</li>
 * </ul>
 * Re-entering in the thread that holds the lock is allowed and takes nothing more. The kernel
 * drops the file lock when a process dies, so a crash never leaves it held.
 */
public final class FileLock implements AutoCloseable {
    /**
     * The in-JVM lock of each lock file in use, with how many threads hold or wait for it: an
     * entry goes when the last one leaves, so a long-lived engine service does not keep one per
     * container it ever locked.
     */
    private static final ConcurrentHashMap<Path, Entry> IN_PROCESS = new ConcurrentHashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users; // changed only inside IN_PROCESS.compute, which serialises it per key
    }

    private final Path key;
    private final ReentrantLock local;
    private final FileChannel channel; // null when re-entered: the outer holder owns the file lock

    private FileLock(Path key, ReentrantLock local, FileChannel channel) {
        this.key = key;
        this.local = local;
        this.channel = channel;
    }

    private static ReentrantLock use(Path key) {
        return IN_PROCESS.compute(key, (k, e) -> {
            Entry n = e == null ? new Entry() : e;
            n.users++;
            return n;
        }).lock;
    }

    /** After the in-JVM lock is released (or was never taken). */
    private static void leave(Path key) {
        IN_PROCESS.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
    }

    /** Lock files with an in-JVM entry now (for tests: entries must not pile up). */
    static int entries() { return IN_PROCESS.size(); }

    /** Blocks until this thread holds the lock (making the lock file's directory if missing); close() releases it. */
    public static FileLock acquire(Path lockFile) {
        return acquire(lockFile, true);
    }

    /**
     * As {@link #acquire(Path)}, but in a directory that must already exist (a container's state
     * dir, which a concurrent rm may delete: it must not come back as an empty dir).
     *
     * @throws NoSuchDirectoryException when the directory is gone
     */
    public static FileLock acquireInExistingDir(Path lockFile) {
        return acquire(lockFile, false);
    }

    /** The lock file's directory does not exist (and was not to be made). */
    public static final class NoSuchDirectoryException extends HutchException {
        NoSuchDirectoryException(Path dir) { super("no such directory: " + dir); }
    }

    private static FileLock acquire(Path lockFile, boolean makeDir) {
        Path key = key(lockFile, makeDir);
        ReentrantLock local = use(key);
        try {
            // interruptible, as FileChannel.lock is: a request whose client went away stops waiting
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            leave(key);
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while waiting for the lock " + key, e);
        } catch (RuntimeException | Error e) {
            leave(key);
            throw e;
        }
        return lockFile(local, key, true);
    }

    /** The lock if it is free now (in this JVM and between processes), else null; never waits. */
    public static FileLock tryAcquire(Path lockFile) {
        Path key = key(lockFile, true);
        ReentrantLock local = use(key);
        if (!local.tryLock()) {
            leave(key);
            return null;
        }
        return lockFile(local, key, false);
    }

    public static <T> T with(Path lockFile, Supplier<T> body) {
        try (FileLock ignored = acquire(lockFile)) {
            return body.get();
        }
    }

    public static void run(Path lockFile, Runnable body) {
        try (FileLock ignored = acquire(lockFile)) {
            body.run();
        }
    }

    /** With the in-JVM lock held: takes the file lock unless this thread already has it. */
    private static FileLock lockFile(ReentrantLock local, Path key, boolean wait) {
        if (local.getHoldCount() > 1) return new FileLock(key, local, null);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (wait) {
                ch.lock();
            } else if (ch.tryLock() == null) {
                ch.close();
                unlock(local, key);
                return null;
            }
            return new FileLock(key, local, ch);
        } catch (java.nio.file.NoSuchFileException e) {
            closeQuietly(ch);
            unlock(local, key);
            throw new NoSuchDirectoryException(key.getParent()); // removed meanwhile
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the lock was never taken
            }
            unlock(local, key);
            throw new HutchException("cannot lock " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * One key per file, so two spellings of a path share one in-JVM lock: the parent dir (made if
     * missing, if asked) with its symlinks resolved, plus the file name.
     */
    private static Path key(Path lockFile, boolean makeDir) {
        Path abs = lockFile.toAbsolutePath().normalize();
        try {
            if (makeDir) Files.createDirectories(abs.getParent());
            return abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new NoSuchDirectoryException(abs.getParent());
        } catch (IOException e) {
            throw new HutchException("cannot lock " + abs + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // never locked
        }
    }

    /** Releases the file lock (closing its only descriptor), then the in-JVM lock. */
    @Override
    public void close() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // a close that fails still drops the lock: the descriptor is gone either way
        } finally {
            unlock(local, key);
        }
    }

    private static void unlock(ReentrantLock local, Path key) {
        local.unlock();
        leave(key);
    }
}
