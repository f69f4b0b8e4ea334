package dev.hutch.cli.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request as the docker CLI sends it: request line, headers, and a body framed by
 * Content-Length or chunked transfer coding. Only what the Engine API needs; no pipelining tricks.
 */
record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
                   BodyStream stream) {
    private static final String RAW_QUERY = ":query";
    /** The cap of a body read whole (JSON and the like); a streamed body has none. */
    static final int MAX_BODY = 16 << 20;
    private static final int MAX_LINE = 16 * 1024, MAX_HEADERS = 200;

    /** Which requests get their body as a stream rather than read whole: by method and path. */
    interface Streamed {
        boolean test(String method, String path);
    }

    /** The next request on a kept-alive connection, or null at a clean end of stream; its body read whole. */
    static HttpRequest read(InputStream in) throws IOException { return read(in, (m, p) -> false); }

    /**
     * The next request, or null at a clean end of stream. A request that {@code streamed} names
     * gets its body as {@link #stream()}, not read yet: the server {@link #drainBody() drains}
     * what its handler left before the next request.
     */
    static HttpRequest read(InputStream in, Streamed streamed) throws IOException {
        String line = readLine(in);
        if (line == null) return null;
        while (line.isEmpty()) { // a stray CRLF between requests is allowed
            line = readLine(in);
            if (line == null) return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new BadRequest("malformed request line: " + line);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int n = 0; ; n++) {
            String h = readLine(in);
            if (h == null) throw new BadRequest("the connection ended inside the headers");
            if (h.isEmpty()) break;
            if (n > MAX_HEADERS) throw new BadRequest("too many headers");
            int colon = h.indexOf(':');
            if (colon <= 0) throw new BadRequest("malformed header: " + h);
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = URLDecoder.decode(q < 0 ? target : target.substring(0, q), StandardCharsets.UTF_8);
        Map<String, String> query = parseQuery(q < 0 ? "" : target.substring(q + 1));
        headers.put(RAW_QUERY, q < 0 ? "" : target.substring(q + 1)); // for queryAll; no header from the wire starts with ':'
        if (streamed.test(parts[0], path)) return new HttpRequest(parts[0], path, query, headers, new byte[0], streamBody(in, headers));
        return new HttpRequest(parts[0], path, query, headers, readBody(in, headers), null);
    }

    private static BodyStream streamBody(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) return BodyStream.chunked(in);
        long n = contentLength(headers);
        if (n < 0) throw new BadRequest("malformed Content-Length: " + headers.get("content-length"));
        return BodyStream.contentLength(in, n);
    }

    private static long contentLength(Map<String, String> headers) throws BadRequest {
        String length = headers.get("content-length");
        if (length == null) return 0;
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("malformed Content-Length: " + length);
        }
    }

    /** The body to read as it comes: the stream of a streamed request, else the bytes read whole. */
    InputStream bodyStream() { return stream != null ? stream : new java.io.ByteArrayInputStream(body); }

    /** Skips what the handler left of a streamed body, so the next request starts where it should. */
    void drainBody() throws IOException {
        if (stream != null) stream.drain();
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(k, v);
        }
        return query;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                if (size == null) throw new BadRequest("the connection ended inside a chunked body");
                int semi = size.indexOf(';');
                int n;
                try {
                    n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new BadRequest("malformed chunk size: " + size);
                }
                if (n == 0) {
                    while (true) { // trailers, then the empty line
                        String t = readLine(in);
                        if (t == null || t.isEmpty()) return body.toByteArray();
                    }
                }
                if (body.size() + n > MAX_BODY) throw new BadRequest("request body over " + MAX_BODY + " bytes");
                body.write(in.readNBytes(n));
                readLine(in);
            }
        }
        if (headers.get("content-length") == null) return new byte[0];
        long n = contentLength(headers);
        if (n < 0 || n > MAX_BODY) throw new BadRequest("request body of " + n + " bytes is refused (limit " + MAX_BODY + ")");
        byte[] body = in.readNBytes((int) n);
        if (body.length != n) throw new BadRequest("the connection ended inside the body");
        return body;
    }

    /** A line ended by CRLF (or a bare LF), without it; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) throw new BadRequest("a request line or header over " + MAX_LINE + " bytes");
            sb.append((char) c);
        }
        if (sb.length() == 0) return null;
        throw new BadRequest("the connection ended inside a line");
    }

    /** Every value of a query parameter given several times ({@code names=a&names=b}), in order. */
    java.util.List<String> queryAll(String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String raw = headers.getOrDefault(RAW_QUERY, "");
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name))
                out.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

    boolean keepAlive() { return !"close".equalsIgnoreCase(header("connection")); }

    String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    /** Malformed HTTP: answered 400 and the connection is closed. */
    static final class BadRequest extends IOException {
        BadRequest(String message) { super(message); }
    }
}
