package dev.hutch.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip that stops trying to compress what does not compress. zlib spends most of a layer's push
 * on random-looking bytes (already compressed files, binaries of packed data) for nothing: their
 * deflate output is as large as the input. So the input is fed in slices and the output of each
 * probe window is measured; when a window at the normal level came out at more than 97% of its
 * input, the next stretch is sent as stored deflate blocks (level 0, a copy), then the normal level
 * is probed again. Every gzip reader reads the result; the decisions depend on the bytes only, so
 * the same layer gives the same blob (and digest) every time with the same zlib.
 */
final class AdaptiveGzipStream extends GZIPOutputStream {
    private static final int SLICE = 256 * 1024;
    private static final long PROBE = 1024 * 1024;
    private static final long STORED_STRETCH = 4 * 1024 * 1024;
    private static final double INCOMPRESSIBLE = 0.97;

    private final int level;
    private boolean storing;
    private long windowStartIn, windowStartOut;

    AdaptiveGzipStream(OutputStream out, int level) throws IOException {
        super(out, 64 * 1024);
        this.level = level;
        def.setLevel(level);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, SLICE);
            super.write(b, off, n);
            off += n;
            len -= n;
            adapt();
        }
    }

    private void adapt() {
        long in = def.getBytesRead(), out = def.getBytesWritten();
        long window = in - windowStartIn;
        if (storing) {
            if (window < STORED_STRETCH) return;
            storing = false;
            def.setLevel(level);
        } else {
            if (window < PROBE) return;
            if (out - windowStartOut > INCOMPRESSIBLE * window) {
                storing = true;
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }
        windowStartIn = in;
        windowStartOut = out;
    }
}
