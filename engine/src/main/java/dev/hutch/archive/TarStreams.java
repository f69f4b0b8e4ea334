package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One place that decides the tar dialect hutch writes: POSIX (pax) for long names and big numbers. */
final class TarStreams {
    /**
     * Copy and write buffers. commons-compress writes a tar one 512-byte record per call (a larger
     * block size would change the padding at the end, and so the digest), and the JDK's own copy
     * loop moves 8 KiB: unbuffered, saving a 440 MB layer made 860 000 write calls.
     */
    static final int BUFFER = 1 << 18;

    private TarStreams() {}

    /** Buffered; {@code finish()} pushes the last records through to {@code out}. */
    static TarArchiveOutputStream newOutput(OutputStream out) {
        TarArchiveOutputStream tar = new BufferedTar(new BufferedOutputStream(out, BUFFER));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /**
     * The tar's own {@code flush()} stops at commons-compress's record writer, which does not pass
     * a flush on: the buffer under it is flushed here, when the archive is finished.
     */
    private static final class BufferedTar extends TarArchiveOutputStream {
        private final BufferedOutputStream buffer;

        BufferedTar(BufferedOutputStream buffer) {
            super(buffer);
            this.buffer = buffer;
        }

        @Override public void finish() throws IOException {
            super.finish();
            buffer.flush();
        }
    }

    /** Copies in large chunks; returns the bytes copied. */
    static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }
}
