package dev.hutch.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine service runs many requests in one JVM: one lock file taken by many threads at once
 * must neither throw (the JVM's OverlappingFileLockException) nor let two in, and while a thread
 * holds it another process must be kept out (the POSIX lock is really taken).
 */
class FileLockTest {
    @TempDir
    Path tmp;

    @Test
    void manyThreadsAtOnceTakeTurns() throws Exception {
        Path lock = tmp.resolve("sub/.lock"), counter = tmp.resolve("counter");
        Files.writeString(counter, "0");
        int entriesBefore = FileLock.entries();
        int threads = 16, rounds = 40;
        AtomicInteger inside = new AtomicInteger(), maxInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // half through the other spelling of the same file: one in-JVM lock per file
                Path spelled = t % 2 == 0 ? lock : tmp.resolve("sub/../sub/./.lock");
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        FileLock.run(spelled, () -> {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            try {
                                // a read-modify-write that loses counts unless it is exclusive
                                int n = Integer.parseInt(Files.readString(counter));
                                Thread.yield();
                                Files.writeString(counter, Integer.toString(n + 1));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            } finally {
                                inside.decrementAndGet();
                            }
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS); // rethrows an OverlappingFileLockException
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, maxInside.get(), "two threads were inside the lock at once");
        assertEquals(threads * rounds, Integer.parseInt(Files.readString(counter)));
        assertEquals(entriesBefore, FileLock.entries(), "in-JVM locks of unused lock files are kept");
    }

    @Test
    void reenteringTheHoldingThreadTakesNothingMore() {
        Path lock = tmp.resolve(".lock");
        String r = FileLock.with(lock, () -> FileLock.with(lock, () -> "inner"));
        assertEquals("inner", r);
        // released for real: another thread gets it at once
        assertTrue(tryFromAnotherThread(lock));
    }

    @Test
    void tryAcquireNeverWaitsAndNeverThrowsInTheJvm() throws Exception {
        Path lock = tmp.resolve(".lock");
        try (FileLock held = FileLock.acquire(lock)) {
            assertNotNull(held);
            assertFalse(tryFromAnotherThread(lock), "another thread got a held lock");
        }
        assertTrue(tryFromAnotherThread(lock));
    }

    @Test
    void anotherProcessIsKeptOutWhileAThreadHoldsIt() throws Exception {
        Path lock = tmp.resolve(".lock");
        try (FileLock held = FileLock.acquire(lock)) {
            assertEquals("busy", probe(lock), "another process took the lock this JVM holds");
        }
        assertEquals("free", probe(lock), "the lock was not released");
    }

    /** The engine service interrupts a request whose client went away: it stops waiting for a lock. */
    @Test
    void aWaitingThreadCanBeInterrupted() throws Exception {
        Path lock = tmp.resolve(".lock");
        int entriesBefore = FileLock.entries();
        java.util.concurrent.CompletableFuture<Throwable> outcome = new java.util.concurrent.CompletableFuture<>();
        Thread waiter;
        try (FileLock held = FileLock.acquire(lock)) {
            waiter = new Thread(() -> {
                try (FileLock l = FileLock.acquire(lock)) {
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            waiter.start();
            while (waiter.getState() != Thread.State.WAITING) Thread.sleep(1);
            waiter.interrupt();
            Throwable t = outcome.get(10, TimeUnit.SECONDS);
            assertInstanceOf(dev.hutch.HutchException.class, t);
            assertTrue(t.getMessage().contains("interrupted"), t.getMessage());
        }
        waiter.join(10_000);
        assertEquals(entriesBefore, FileLock.entries());
        assertTrue(tryFromAnotherThread(lock));
    }

    /** A lock file in a directory that is gone is not made again (a removed container's state dir). */
    @Test
    void aMissingDirectoryIsNotMadeWhenItMustExist() {
        Path dir = tmp.resolve("gone");
        assertThrows(FileLock.NoSuchDirectoryException.class, () -> FileLock.acquireInExistingDir(dir.resolve("lock")));
        assertFalse(Files.exists(dir));
    }

    private static boolean tryFromAnotherThread(Path lock) {
        boolean[] got = new boolean[1];
        Thread t = new Thread(() -> {
            try (FileLock l = FileLock.tryAcquire(lock)) {
                got[0] = l != null;
            }
        });
        t.start();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return got[0];
    }

    /** Another JVM tries the same POSIX lock without waiting: "busy" or "free". */
    private static String probe(Path lock) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName(), lock.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** The other process: FileChannel.tryLock is the same fcntl lock FileLock takes. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                 java.nio.channels.FileLock l = ch.tryLock()) {
                System.out.println(l == null ? "busy" : "free");
            }
        }
    }
}
