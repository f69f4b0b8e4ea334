package dev.hutch.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tar written by one thread and read by another, through a few chunks in memory: a directory
 * becomes a layer (commit) without its tar ever touching the disk, and the writing (reading the
 * tree, building the tar) runs on one core while the unpacking (hashing, writing the layer) runs on
 * the other. (A temp tar file cost one more write and read of every byte.)
 *
 * <p>{@link #run} starts {@code producer} on a thread of its own and hands the tar to
 * {@code consumer}; a failure on either side ends both, and the first failure is what is thrown.
 */
public final class TarPipe {
    public interface Producer { void writeTo(OutputStream out) throws IOException; }

    public interface Consumer<T> { T readFrom(InputStream in) throws IOException; }

    private static final int CHUNK = 1 << 18;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
    private volatile boolean readerGone;
    private volatile Throwable producerFailure;

    private TarPipe() {}

    public static <T> T run(String name, Producer producer, Consumer<T> consumer) throws IOException {
        TarPipe pipe = new TarPipe();
        Thread writer = new Thread(() -> pipe.produce(producer), name);
        writer.setDaemon(true);
        writer.start();
        try {
            T result = consumer.readFrom(pipe.new Reader());
            pipe.rethrowProducerFailure();
            return result;
        } catch (IOException | RuntimeException | Error e) {
            Throwable first = pipe.producerFailure;
            if (first != null && first != e) e.addSuppressed(first);
            throw e;
        } finally {
            pipe.readerGone = true;
            pipe.chunks.clear(); // unblocks a writer waiting for room
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void produce(Producer producer) {
        Writer out = new Writer();
        try {
            producer.writeTo(out);
            out.close(); // the end marker only after a complete tar: never on a failure
        } catch (Throwable t) {
            producerFailure = t; // set before the end marker goes in, so the reader sees it with the end
            put(END);
        }
    }

    private void rethrowProducerFailure() throws IOException {
        Throwable t = producerFailure;
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
    }

    /** Waits for room, giving up (false) once the reader is gone. */
    private boolean put(byte[] chunk) {
        try {
            while (!readerGone) if (chunks.offer(chunk, 50, TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private final class Writer extends OutputStream {
        private byte[] buf = new byte[CHUNK];
        private int len;

        @Override public void write(int b) throws IOException { write(new byte[]{(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                int k = Math.min(n, CHUNK - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
                if (len == CHUNK) send();
            }
        }

        private void send() throws IOException {
            if (len == 0) return;
            byte[] full = len == CHUNK ? buf : java.util.Arrays.copyOf(buf, len);
            if (!put(full)) throw new IOException("the reader of the tar stopped");
            buf = new byte[CHUNK];
            len = 0;
        }

        @Override public void close() throws IOException {
            send();
            if (!put(END)) throw new IOException("the reader of the tar stopped");
        }
    }

    private final class Reader extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) return 0;
            while (pos == current.length) {
                if (ended) return -1;
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading a tar");
                }
                pos = 0;
                if (current == END) {
                    ended = true;
                    rethrowProducerFailure();
                    return -1;
                }
            }
            int k = Math.min(n, current.length - pos);
            System.arraycopy(current, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
