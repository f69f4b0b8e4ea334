package dev.hutch.logs;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A plain byte buffer in front of an output stream, for one thread. {@code logs} writes two or
 * three small pieces per entry; through BufferedOutputStream and PrintStream each piece took two
 * monitor locks, which on a log of millions of entries cost more than the copying itself.
 */
final class ByteSink extends OutputStream {
    private final OutputStream target;
    private final byte[] buf;
    private int n;

    ByteSink(OutputStream target, int size) {
        this.target = target;
        this.buf = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
        if (n == buf.length) drain();
        buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - n) {
            drain();
            if (len > buf.length) {
                target.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    private void drain() throws IOException {
        if (n > 0) target.write(buf, 0, n);
        n = 0;
    }

    @Override
    public void flush() throws IOException {
        drain();
        target.flush();
    }
}
