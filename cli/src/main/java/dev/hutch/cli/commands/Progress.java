package dev.hutch.cli.commands;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import dev.hutch.cli.Context;

/**
 * "saving: 123.4MB (45.6MB/s)" on stderr while a long copy runs (save, load, export, import). Only
 * when stderr is a terminal, so scripts and logs never get carriage returns, and only past a few MB.
 */
final class Progress implements AutoCloseable {
    private static final long SHOW_AFTER_BYTES = 4_000_000;
    private static final long EVERY_NANOS = 250_000_000;
    private final String verb;
    private final PrintStream err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long bytes, lastShown;
    private boolean shown;

    private Progress(String verb, PrintStream err, boolean enabled) {
        this.verb = verb;
        this.err = err;
        this.enabled = enabled;
    }

    static Progress onStderr(String verb, Context ctx) {
        return new Progress(verb, ctx.err(), ctx.stderrIsTerminal());
    }

    OutputStream count(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override public void write(int b) throws IOException { out.write(b); add(1); }
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); add(len); }
        };
    }

    InputStream count(InputStream in) {
        return new FilterInputStream(in) {
            @Override public int read() throws IOException { int b = in.read(); if (b >= 0) add(1); return b; }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) add(n);
                return n;
            }
        };
    }

    private void add(long n) {
        bytes += n;
        if (!enabled || bytes < SHOW_AFTER_BYTES) return;
        long now = System.nanoTime();
        if (now - lastShown < EVERY_NANOS) return;
        lastShown = now;
        show(now);
    }

    private void show(long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        err.print("\r" + verb + ": " + ImageStores.humanSize(bytes) + " (" + ImageStores.humanSize((long) (bytes / seconds)) + "/s)   ");
        err.flush();
        shown = true;
    }

    @Override
    public void close() {
        if (!shown) return;
        show(System.nanoTime());
        err.println();
    }
}
