package dev.hutch.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Where a compressed layer goes while it is being compressed: a buffer of one chunk. A blob that
 * fits in it stays in memory for a monolithic upload (after a {@code HEAD}, since its digest is
 * known by then); one that does not is sent a chunk at a time as the buffer fills ({@code PATCH}),
 * into a session opened at the first full chunk, so a large layer never sits whole in memory.
 */
final class ChunkSink extends OutputStream {
    private final byte[] buffer;
    private final Opener opener;
    private BlobUploader.Session session;
    private int filled;

    /** Opens the upload session, or hands over one the registry opened already (a mount it declined). */
    interface Opener {
        BlobUploader.Session open() throws InterruptedException;
    }

    /** {@code opener} opens (or hands over) the session when the first chunk is full. */
    ChunkSink(int chunkSize, Opener opener) {
        this.buffer = new byte[chunkSize];
        this.opener = opener;
    }

    @Override
    public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == buffer.length) sendChunk();
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void sendChunk() throws IOException {
        try {
            if (session == null) session = opener.open();
            session.patch(buffer, filled);
            filled = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted in the middle of an upload");
        }
    }

    /** Whether chunks went out already (the chunked path), or the whole blob is still here. */
    boolean streamed() { return session != null; }

    /** The session of a chunked upload, or null. */
    BlobUploader.Session session() { return session; }

    byte[] buffer() { return buffer; }

    int filled() { return filled; }

    /** Chunked path: the last bytes as a PATCH of their own, then the closing PUT with the digest. */
    void finish(String digest) throws InterruptedException {
        session.patch(buffer, filled);
        session.finish(digest, new byte[0], 0);
    }
}
