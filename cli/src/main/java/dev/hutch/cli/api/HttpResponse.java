package dev.hutch.cli.api;

import dev.hutch.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer to one request: a whole body with its Content-Length, or a stream in chunked coding
 * (logs, wait) whose headers go out at once so the client sees the status before the body.
 * Every answer carries the headers dockerd puts on all of its answers (API version, OS type).
 */
final class HttpResponse {
    private final OutputStream out;
    private final boolean head;
    private final Hijack.Socket socket;
    private boolean started, hijacked;

    HttpResponse(OutputStream out, boolean head) { this(out, head, null); }

    /** @param socket the connection's reading side and its half-close, for {@link #hijack}; null where there is none */
    HttpResponse(OutputStream out, boolean head, Hijack.Socket socket) {
        this.out = out;
        this.head = head;
        this.socket = socket;
    }

    boolean started() { return started; }

    /** The connection's reading side and half-close; null where there is none (a stream that must notice its client leave). */
    Hijack.Socket connection() { return socket; }

    /** True once the connection was handed over ({@link #hijack}): it carries no more requests. */
    boolean hijacked() { return hijacked; }

    /**
     * Hands the connection over for raw bytes both ways, as dockerd does for attach and exec:
     * {@code 101 UPGRADED} when the client asked for {@code Upgrade: tcp}, else (an old client)
     * a 200 whose body is the stream until the connection closes.
     */
    Hijack hijack(HttpRequest request, String contentType) throws IOException {
        if (socket == null) throw new IllegalStateException("this response has no connection to hand over");
        boolean upgrade = "tcp".equalsIgnoreCase(request.header("upgrade"));
        StringBuilder h = statusLine(upgrade ? 101 : 200);
        h.append("Content-Type: ").append(contentType).append("\r\n");
        if (upgrade) h.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        hijacked = true;
        return new Hijack(socket, out);
    }

    void json(int status, Object value) throws IOException {
        body(status, "application/json", (Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    void error(ApiError e) throws IOException { json(e.status, Map.of("message", e.getMessage())); }

    void empty(int status) throws IOException { body(status, null, new byte[0], Map.of()); }

    void body(int status, String contentType, byte[] body, Map<String, String> extra) throws IOException {
        StringBuilder h = statusLine(status);
        if (contentType != null) h.append("Content-Type: ").append(contentType).append("\r\n");
        extra.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) out.write(body);
        out.flush();
    }

    /** Starts a chunked body; closing the returned stream ends it (the connection stays open). */
    OutputStream stream(int status, String contentType) throws IOException { return stream(status, contentType, Map.of()); }

    /** The same with more headers (the archive endpoint's path stat). */
    OutputStream stream(int status, String contentType, Map<String, String> extra) throws IOException {
        StringBuilder h = statusLine(status);
        extra.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Content-Type: ").append(contentType).append("\r\nTransfer-Encoding: chunked\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new ChunkedStream(out);
    }

    private StringBuilder statusLine(int status) {
        if (started) throw new IllegalStateException("the response was already started");
        started = true;
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Api-Version: ").append(DockerApi.API_VERSION).append("\r\n");
        h.append("Docker-Experimental: false\r\nOstype: linux\r\n");
        h.append("Server: hutch/").append(DockerApi.hutchVersion()).append(" (linux)\r\n");
        return h;
    }

    static String reason(int status) {
        return switch (status) {
            case 101 -> "UPGRADED";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 501 -> "Not Implemented";
            default -> status >= 500 ? "Internal Server Error" : "Status";
        };
    }

    /** HTTP/1.1 chunked coding: each write is one chunk; close writes the last (empty) one. */
    private static final class ChunkedStream extends OutputStream {
        private final OutputStream out;
        private boolean closed;

        ChunkedStream(OutputStream out) { this.out = out; }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) return; // an empty chunk would end the body
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override public void flush() throws IOException { out.flush(); }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }
}
