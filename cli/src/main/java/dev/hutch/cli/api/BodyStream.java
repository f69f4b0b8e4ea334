package dev.hutch.cli.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read as it arrives, framed by Content-Length or chunked transfer coding, for the
 * routes that take archives of any size ({@code POST /images/load}, import): the bytes go straight
 * to their reader and memory stays constant. It ends at the body's end, never reads past it (the
 * next request on the connection stays intact), and {@link #drain} skips what its handler left.
 * A body that ends early (the connection closed inside it) is an {@link HttpRequest.BadRequest}.
 */
final class BodyStream extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private long left; // of the body (Content-Length) or of the current chunk
    private boolean done;

    private BodyStream(InputStream in, boolean chunked, long length) {
        this.in = in;
        this.chunked = chunked;
        this.left = length;
        this.done = !chunked && length == 0;
    }

    static BodyStream contentLength(InputStream in, long length) { return new BodyStream(in, false, length); }

    static BodyStream chunked(InputStream in) { return new BodyStream(in, true, 0); }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (done) return -1;
        if (left == 0 && !nextChunk()) return -1;
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) throw new HttpRequest.BadRequest("the connection ended inside the body");
        left -= n;
        if (left == 0 && !chunked) done = true;
        if (left == 0 && chunked) HttpRequest.readLine(in); // the CRLF after the chunk's data
        return n;
    }

    /** The next chunk's size into {@code left}; false (and done) at the last chunk and its trailers. */
    private boolean nextChunk() throws IOException {
        String size = HttpRequest.readLine(in);
        if (size == null) throw new HttpRequest.BadRequest("the connection ended inside a chunked body");
        int semi = size.indexOf(';');
        try {
            left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new HttpRequest.BadRequest("malformed chunk size: " + size);
        }
        if (left < 0) throw new HttpRequest.BadRequest("malformed chunk size: " + size);
        if (left > 0) return true;
        for (String t = HttpRequest.readLine(in); t != null && !t.isEmpty(); t = HttpRequest.readLine(in)) {
            // trailers, then the empty line
        }
        done = true;
        return false;
    }

    @Override
    public int available() throws IOException {
        return done ? 0 : (int) Math.min(in.available(), left);
    }

    /** Reads what is left of the body and drops it, so the connection can carry the next request. */
    void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // skipped
        }
    }

    /** Leaves the connection open: the server owns it (drain, then the next request). */
    @Override
    public void close() {}
}
