package dev.hutch.cli.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection handed over after {@code 101 UPGRADED}: what the client sends (a container's
 * stdin), and the container's output back. Without a tty the output is docker's multiplexed
 * stream (an 8-byte header before each piece: stream 1 stdout or 2 stderr, three zero bytes, the
 * length big-endian); with a tty it is the raw bytes. Writers on several threads (stdout, stderr)
 * never interleave inside a frame.
 */
final class Hijack {
    /** The reading side of the connection (its buffered stream: bytes sent right after the request may be in it) and its half-close. */
    record Socket(InputStream in, Closer shutdownOutput) {}

    interface Closer {
        void close() throws IOException;
    }

    static final int RAW = 0, STDOUT = 1, STDERR = 2;

    private final Socket socket;
    private final OutputStream out;
    private boolean outputClosed;

    Hijack(Socket socket, OutputStream out) {
        this.socket = socket;
        this.out = out;
    }

    InputStream in() { return socket.in(); }

    /** One piece of output; stream {@link #RAW} (a tty) has no header. */
    synchronized void write(int stream, byte[] b, int len) throws IOException {
        if (outputClosed) return;
        if (stream != RAW)
            out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        out.write(b, 0, len);
        out.flush();
    }

    /**
     * The end of the output: the client sees end of file and stops reading (the docker CLI then
     * takes the exit code from its wait or exec inspect). The reading side stays open.
     */
    synchronized void closeOutput() {
        if (outputClosed) return;
        outputClosed = true;
        try {
            out.flush();
            socket.shutdownOutput().close();
        } catch (IOException e) {
            // the client is gone already
        }
    }
}
