package dev.hutch.cli.api;

import dev.hutch.logs.LogEntry;
import dev.hutch.logs.LogReader;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code GET /containers/{id}/logs}. Without a tty the body is Docker's multiplexed stream: each
 * piece of output behind an 8-byte header (stream 1 stdout or 2 stderr, three zero bytes, the
 * length big-endian), so the client separates stdout from stderr; with a tty it is the raw bytes.
 */
final class LogEndpoint {
    static final int STDOUT = 1, STDERR = 2;

    private LogEndpoint() {}

    static void logs(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        boolean stdout = call.flag("stdout", false), stderr = call.flag("stderr", false);
        if (!stdout && !stderr) throw ApiError.badParameter("Bad parameters: you must choose at least one stream");
        boolean timestamps = call.flag("timestamps", false), follow = call.flag("follow", false);
        int tail = tail(call.query("tail"));
        Instant since = unixTime(call.query("since")), until = unixTime(call.query("until"));
        boolean tty = f.view().spec().process().tty();
        String type = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        if (f.created()) { // created, never started: no output yet
            call.response().stream(200, type).close();
            return;
        }
        LogReader reader = call.engine().logs(f.id());
        try (OutputStream body = call.response().stream(200, type)) {
            OutputStream out = new BufferedOutputStream(body, 1 << 16);
            var window = new LogReader.Window(since, until);
            var sink = new java.util.function.Consumer<LogEntry>() {
                @Override
                public void accept(LogEntry e) {
                    boolean err = e.isStderr() || e.isHutch();
                    if (err ? !stderr : !stdout) return;
                    String text = timestamps ? e.time() + " " + e.text() : e.text();
                    try {
                        write(out, tty ? 0 : err ? STDERR : STDOUT, text.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            };
            try {
                if (follow) {
                    String id = f.id();
                    reader.follow(tail, window, sink, () -> call.engine().isRunning(id), () -> flush(out));
                } else {
                    reader.emit(tail, window, sink);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the client went away
            }
            out.flush();
        }
    }

    /** One frame: the 8-byte header (none with a tty: stream 0), then the bytes. */
    static void write(OutputStream out, int stream, byte[] payload) throws IOException {
        if (stream != 0) {
            int n = payload.length;
            out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        }
        out.write(payload);
    }

    private static void flush(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int tail(String text) {
        if (text == null || text.isEmpty() || text.equals("all")) return -1;
        try {
            int n = Integer.parseInt(text.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            throw ApiError.badParameter("invalid value for tail: \"" + text + "\" (a number or all)");
        }
    }

    /** docker's since/until: Unix seconds, with an optional fraction ("1700000000.5"); 0 or absent: open. */
    static Instant unixTime(String text) {
        if (text == null || text.isEmpty() || text.equals("0")) return null;
        try {
            String[] parts = text.split("\\.", 2);
            long s = Long.parseLong(parts[0]);
            long nanos = parts.length == 2 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
            return Instant.ofEpochSecond(s, nanos);
        } catch (NumberFormatException e) {
            throw ApiError.badParameter("invalid time \"" + text + "\": give Unix seconds, e.g. 1700000000.5");
        }
    }
}
