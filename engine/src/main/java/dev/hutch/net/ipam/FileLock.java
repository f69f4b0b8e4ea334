package dev.hutch.net.ipam;

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
 * An exclusive lock between processes (an flock-style lock on a file) and between threads of this
 * JVM (the JVM refuses a second FileChannel.lock on the same file, so threads queue on a
 * ReentrantLock first). The kernel drops the file lock when a process dies, so a crash never
 * leaves it held.
 */
public final class FileLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLock() {}

    public static <T> T with(Path lockFile, Supplier<T> body) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) return body.get(); // re-entered in this thread: already held
            Files.createDirectories(key.getParent());
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 java.nio.channels.FileLock ignored = ch.lock()) {
                return body.get();
            }
        } catch (IOException e) {
            throw new HutchException("cannot lock " + key + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    public static void run(Path lockFile, Runnable body) {
        with(lockFile, () -> { body.run(); return null; });
    }
}
