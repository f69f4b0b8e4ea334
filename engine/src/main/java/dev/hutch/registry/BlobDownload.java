package dev.hutch.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.function.Function;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blob GET over {@link HttpURLConnection} (the JDK's {@code SSLSocket}), not the JDK's
 * {@code HttpClient}: measured on a 40 MB blob from a local TLS registry, the HttpClient's
 * TLS path (a heap buffer per record, its flow delegates) took 0.7 s in a warm JVM and 1.2–3 s in
 * a fresh one, {@code SSLSocket} 0.44 s warm. Manifests, tokens and a push's small requests stay
 * on the HttpClient: the bulk is here and in {@link StreamedPatch}, a push's large blobs.
 *
 * <p>Redirects (a registry sending blobs from another store) are followed by hand so that the
 * registry's Authorization header never travels to the other host; only the Range does. The
 * connection goes back to the JDK's keep-alive cache when the body is read to its end and closed.
 */
final class BlobDownload {
    /** The status and the body of a blob GET: 200 (whole blob) or 206 (the Range was honoured). */
    record Response(int status, InputStream body, String wwwAuthenticate) {}

    private static final int CONNECT_TIMEOUT_MS = 15_000;
    /** A blob may stall at most this long between two reads before the fetch counts it as broken. */
    private static final int READ_TIMEOUT_MS = 5 * 60_000;
    private static final int MAX_REDIRECTS = 5;

    private final SSLSocketFactory tls;

    BlobDownload(SSLSocketFactory tls) { this.tls = tls; }

    /**
     * GETs {@code uri} with {@code authorization} (or none) and from {@code offset} (a Range when
     * above 0). Throws IOException when the registry cannot be reached; any status comes back.
     */
    Response get(URI uri, String authorization, long offset, Function<String, RegistryException> protocolError) throws IOException {
        URI next = uri;
        String auth = authorization;
        for (int hops = 0; ; hops++) {
            HttpURLConnection c = (HttpURLConnection) next.toURL().openConnection(Proxy.NO_PROXY);
            if (c instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setRequestProperty("Accept-Encoding", "identity"); // blobs are hashed as stored: no transfer gzip
            if (auth != null) c.setRequestProperty("Authorization", auth);
            if (offset > 0) c.setRequestProperty("Range", "bytes=" + offset + "-");
            int status = c.getResponseCode();
            // buffered: the unpacker's gunzip reads a few hundred bytes at a time, each a trip into the TLS socket
            if (status == 200 || status == 206)
                return new Response(status, new java.io.BufferedInputStream(new WholeBody(c.getInputStream(), c.getContentLengthLong()), 256 * 1024), null);
            String challenge = c.getHeaderField("WWW-Authenticate");
            String location = c.getHeaderField("Location");
            drain(c);
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
                return new Response(status, InputStream.nullInputStream(), challenge);
            if (hops >= MAX_REDIRECTS) throw protocolError.apply("redirected more than " + MAX_REDIRECTS + " times for " + uri.getPath());
            if (location == null) throw protocolError.apply("redirected without a Location");
            next = next.resolve(location);
            auth = null; // the Authorization is the registry's, not the blob store's
        }
    }

    /** Reads the error body away, so that the connection can be kept alive for the next request. */
    private static void drain(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err != null) err.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is simply not reused
        }
    }


    /**
     * The body, ending in an IOException (not a quiet end) when the connection closes before
     * Content-Length bytes came: HttpURLConnection reports such a cut as the end of the stream, and
     * the fetch resumes with a Range only on an IOException.
     */
    private static final class WholeBody extends java.io.FilterInputStream {
        private final long length;
        private long read;

        WholeBody(InputStream in, long length) {
            super(in);
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) read += n;
            else if (n < 0 && length >= 0 && read < length)
                throw new java.io.EOFException("the connection closed after " + read + " of " + length + " bytes");
            return n;
        }
    }
}
