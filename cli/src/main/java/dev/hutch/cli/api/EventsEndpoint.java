package dev.hutch.cli.api;

import dev.hutch.events.EventFilter;
import dev.hutch.events.EventJournal;
import dev.hutch.events.EventStream;
import dev.hutch.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /events}: the engine's event journal as docker's stream of JSON messages, one per
 * line; {@code since}/{@code until} as Unix seconds (with an optional fraction), {@code filters}
 * as docker's JSON. Without until it follows the journal until the client goes away.
 */
final class EventsEndpoint {
    private EventsEndpoint() {}

    static void register(ApiRouter router) {
        router.add("GET", "/events", EventsEndpoint::events);
    }

    static void events(ApiCall call) throws IOException {
        EventFilter filter;
        try {
            filter = new EventFilter(Filters.parse(call.query("filters"), EventFilter.KEYS));
        } catch (dev.hutch.HutchException e) {
            throw ApiError.badParameter(e.getMessage());
        }
        Long since = time("since", call.query("since")), until = time("until", call.query("until"));
        EventJournal journal = call.engine().events();
        OutputStream out = call.response().stream(200, "application/json");
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        // Only an endless follow watches the connection (the watcher reads it, so no request may follow on it).
        if (until == null) watchForHangUp(call, gone);
        try {
            EventStream.run(journal, since, until, filter, e -> {
                try {
                    out.write((Json.write(e.toDockerMessage()) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException x) {
                    gone.set(true);
                }
            }, () -> gone.get() || Thread.currentThread().isInterrupted());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!gone.get()) out.close();
    }

    /**
     * A follower with nothing to send would never notice its client left: a daemon thread reads
     * the connection (the client sends nothing more on it) and marks the stream gone at its end.
     */
    private static void watchForHangUp(ApiCall call, java.util.concurrent.atomic.AtomicBoolean gone) {
        Hijack.Socket socket = call.response().connection();
        if (socket == null) return;
        Thread t = new Thread(() -> {
            try {
                while (socket.in().read() >= 0) { /* a stray byte: keep watching */ }
            } catch (IOException ignored) {
                // closed: gone as well
            }
            gone.set(true);
        }, "hutch-events-hangup");
        t.setDaemon(true);
        t.start();
    }

    /** docker's forms: Unix seconds with an optional fraction ("1700000000.123456789"), or RFC 3339. */
    static Long time(String name, String v) {
        if (v == null || v.isEmpty()) return null;
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                String[] p = v.split("\\.");
                long nanos = p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0;
                return Long.parseLong(p[0]) * 1_000_000_000L + nanos;
            }
            java.time.Instant t = java.time.OffsetDateTime.parse(v).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (RuntimeException e) {
            throw ApiError.badParameter("invalid value for " + name + ": \"" + v + "\" is not a time (Unix seconds or RFC 3339)");
        }
    }
}
