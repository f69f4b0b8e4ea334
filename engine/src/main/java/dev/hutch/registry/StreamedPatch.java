package dev.hutch.registry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One {@code PATCH} of an upload session whose body is written while it is produced, with
 * {@code Transfer-Encoding: chunked}: the layer is compressed straight into the registry's socket,
 * so compression and the registry's writing overlap, and the blob is never held in memory. This is
 * the streamed upload docker and podman do (one PATCH, then the closing {@code PUT ?digest=}).
 *
 * <p>Written over a plain {@link Socket} or {@link SSLSocket} because neither client of the JDK
 * fits: {@code HttpURLConnection} refuses the PATCH method, and the {@code HttpClient}'s TLS path
 * costs more than the compression it would overlap with (see {@link BlobDownload}). A library
 * (Apache HttpClient) would bring two jars and a logging facade onto every pull and push for one
 * request; this is the HTTP/1.1 of one request on a connection of its own, closed afterwards.
 */
final class StreamedPatch {
    /** What the body writer does: writes the whole body into {@code out} (not closing it). */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The registry's answer: the status, its headers (names in lower case) and a short body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    private static final int CONNECT_TIMEOUT_MS = 15_000;
    private static final int READ_TIMEOUT_MS = 5 * 60_000;
    /** TLS records are at most 16 KiB; 256 KiB chunks keep the chunk framing and the syscalls few. */
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final int MAX_ANSWER_BODY = 64 * 1024;

    private StreamedPatch() {}

    /**
     * Sends {@code PATCH uri} with {@code authorization} (or none) and the body {@code body}
     * writes. {@code tls} is used for https URIs. Throws IOException when the registry cannot be
     * reached or drops the connection without an answer, and UncheckedIOException wrapping the
     * body writer's own IOException when its source (not the socket) failed.
     */
    static Answer send(URI uri, String authorization, SSLSocketFactory tls, Body body) throws IOException {
        try (Socket socket = open(uri, tls)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream raw = new BufferedOutputStream(socket.getOutputStream(), CHUNK_BYTES + 16);
            raw.write(head(uri, authorization).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            ChunkedBody chunked = new ChunkedBody(raw);
            try {
                body.writeTo(chunked);
                chunked.close(); // only a body written whole gets its last chunk: a failed one is cut off, never completed
            } catch (IOException writeFailed) {
                // the writer's own source failed: closing the socket drops the PATCH, and the caller hears it was not the registry
                if (!chunked.socketFailed) throw new java.io.UncheckedIOException(writeFailed);
                // the registry may have answered (401, 413...) and closed its side: that answer says more
                try {
                    return readAnswer(in);
                } catch (IOException noAnswer) {
                    throw writeFailed;
                }
            }
            return readAnswer(in);
        }
    }

    private static Socket open(URI uri, SSLSocketFactory tls) throws IOException {
        boolean https = "https".equals(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
            plain.setTcpNoDelay(true);
            if (!https) return plain;
            SSLSocket ssl = (SSLSocket) tls.createSocket(plain, uri.getHost(), port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name this host, as for every other call
            if (!isIpLiteral(uri.getHost())) params.setServerNames(List.of(new SNIHostName(uri.getHost())));
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    private static String head(URI uri, String authorization) {
        String target = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        StringBuilder h = new StringBuilder()
                .append("PATCH ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
                .append("User-Agent: hutch\r\n")
                .append("Content-Type: application/octet-stream\r\n")
                .append("Transfer-Encoding: chunked\r\n")
                .append("Connection: close\r\n");
        if (authorization != null) h.append("Authorization: ").append(authorization).append("\r\n");
        return h.append("\r\n").toString();
    }

    /** The status line, the headers, and the body by Content-Length, chunks or to the end (at most 64 KiB kept). */
    static Answer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.") || status.length() < 12)
            throw new IOException("the registry sent no HTTP answer to the upload" + (status == null ? "" : ": " + status));
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("the registry sent a malformed status line: " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            if (colon > 0) headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (long n = chunkSize(line(in)); n > 0; n = chunkSize(line(in))) {
                copy(in, body, n);
                line(in);
            }
        } else if (length != null) {
            copy(in, body, Long.parseLong(length));
        } else {
            copy(in, body, Long.MAX_VALUE);
        }
        return new Answer(code, headers, body.toByteArray());
    }

    private static long chunkSize(String line) throws IOException {
        if (line == null) throw new IOException("the registry's answer ended inside its chunked body");
        int semi = line.indexOf(';');
        return Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
    }

    /** Reads up to {@code n} bytes (to the end for Long.MAX_VALUE), keeping the first 64 KiB. */
    private static void copy(InputStream in, ByteArrayOutputStream kept, long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                if (n == Long.MAX_VALUE) return;
                throw new IOException("the registry's answer ended early");
            }
            if (kept.size() < MAX_ANSWER_BODY) kept.write(buf, 0, Math.min(r, MAX_ANSWER_BODY - kept.size()));
            if (n != Long.MAX_VALUE) n -= r;
        }
    }

    /** One CRLF-terminated header line (ISO-8859-1), null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) return sb.isEmpty() ? null : sb.toString();
            if (c == '\n') break;
            if (sb.length() > 16 * 1024) throw new IOException("the registry sent a header line over 16 KiB");
            sb.append((char) c);
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') sb.setLength(end - 1);
        return sb.toString();
    }

    /** HTTP/1.1 chunked framing: each write of the buffer is one chunk; close sends the last, empty one. */
    private static final class ChunkedBody extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer = new byte[CHUNK_BYTES];
        private int filled;
        private boolean closed;
        /** Whether a write to the registry's socket failed (as opposed to the writer's own source). */
        boolean socketFailed;

        ChunkedBody(OutputStream out) { this.out = out; }

        @Override
        public void write(int b) throws IOException {
            if (filled == buffer.length) sendChunk();
            buffer[filled++] = (byte) b;
        }

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
            if (filled == 0) return;
            try {
                out.write((Integer.toHexString(filled) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buffer, 0, filled);
                out.write('\r');
                out.write('\n');
            } catch (IOException e) {
                socketFailed = true;
                throw e;
            }
            filled = 0;
        }

        /** The last chunk; the socket stays open for the answer. */
        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            sendChunk();
            try {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                socketFailed = true;
                throw e;
            }
        }
    }
}
