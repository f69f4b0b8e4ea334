package dev.hutch.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a file so that a crash at any moment leaves either the old content or the new one. */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path file, String content) {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path file, byte[] content) { write(file, content, true); }

    /**
     * Atomic replace without fsync, for runtime state: it lives under /run, which is a tmpfs on a
     * normal system and is cleared at boot with the containers it describes, so durability buys
     * nothing there; the rename alone keeps a crashed writer from leaving a torn file. (An fsync
     * costs 2 to 5 ms here, and a short `run` writes its state four times.)
     */
    public static void replace(Path file, String content) {
        write(file, content.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * Temp names unique per writer: two writers of one file (threads of the engine service, or two
     * processes) must never write into one temp file, which could rename a mix of both into place.
     * A token per JVM (no SecureRandom: its first use costs a short command milliseconds) and a
     * counter; CREATE_NEW catches the unlikely clash of two JVMs' tokens.
     */
    private static final String TOKEN = Long.toHexString(System.nanoTime() ^ Runtime.getRuntime().hashCode());
    private static final java.util.concurrent.atomic.AtomicLong WRITES = new java.util.concurrent.atomic.AtomicLong();

    private static void write(Path file, byte[] content, boolean durable) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + TOKEN + "-" + WRITES.incrementAndGet() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                if (durable) ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file as UTF-8, or returns null if it does not exist. */
    public static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
