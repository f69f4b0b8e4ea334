package dev.hutch.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class TarPipeTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void theReaderGetsEveryByteInOrderAcrossManyChunks() throws Exception {
        byte[] data = random(5_000_003); // not a multiple of the chunk size
        byte[] got = TarPipe.run("test-pipe", out -> {
            for (int off = 0; off < data.length; off += 7_777) out.write(data, off, Math.min(7_777, data.length - off));
        }, InputStream::readAllBytes);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), MessageDigest.getInstance("SHA-256").digest(got));
    }

    @Test
    void aWriterThatFailsMidwayFailsTheRunWithItsOwnError() {
        byte[] data = random(1_000_000);
        java.util.concurrent.atomic.AtomicBoolean sawEnd = new java.util.concurrent.atomic.AtomicBoolean();
        IOException e = assertThrows(IOException.class, () -> TarPipe.run("test-pipe", out -> {
            out.write(data);
            throw new IOException("the tree changed under the writer");
        }, in -> {
            byte[] all = in.readAllBytes();
            sawEnd.set(true); // a clean end of a cut tar would let the unpacker store half a layer
            return all;
        }));
        assertEquals("the tree changed under the writer", e.getMessage());
        assertFalse(sawEnd.get(), "the reader got the writer's failure, never a clean end");
    }

    @Test
    void aReaderThatStopsEarlyStopsTheWriterToo() throws Exception {
        AtomicReference<Thread> writer = new AtomicReference<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TarPipe.run("test-pipe", out -> {
            writer.set(Thread.currentThread());
            byte[] chunk = random(1 << 16);
            while (true) out.write(chunk); // endless: only the reader's end can stop it
        }, in -> {
            in.readNBytes(100_000);
            throw new IllegalStateException("refused after 100000 bytes");
        }));
        assertEquals("refused after 100000 bytes", e.getMessage());
        assertTrue(writer.get() != null);
        writer.get().join(5_000);
        assertFalse(writer.get().isAlive(), "the writer thread ended with the run");
    }
}
