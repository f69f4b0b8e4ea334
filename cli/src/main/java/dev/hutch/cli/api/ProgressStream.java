package dev.hutch.cli.api;

import dev.hutch.json.Json;
import dev.hutch.registry.PullListener;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docker's JSON progress stream (pull, push, load, import): one JSON object per line,
 * {@code {"status": ..., "id": ...}}, and a failure after the 200 went out as
 * {@code {"errorDetail": {"message": m}, "error": m}}, which the docker CLI prints and exits 1 on.
 */
final class ProgressStream implements PullListener, AutoCloseable {
    private final OutputStream out;

    ProgressStream(ApiCall call) throws IOException {
        this.out = call.response().stream(200, "application/json");
    }

    synchronized void write(Map<String, Object> message) {
        try {
            out.write((Json.write(message) + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the client went away: the work stops with it
        }
    }

    void status(String status, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (id != null) m.put("id", id);
        write(m);
    }

    void stream(String text) { write(Map.of("stream", text)); }

    void error(String message) { write(Map.of("errorDetail", Map.of("message", message), "error", message)); }

    @Override public void layer(String shortId, String status) { status(status, shortId); }

    @Override public void close() throws IOException { out.close(); }
}
