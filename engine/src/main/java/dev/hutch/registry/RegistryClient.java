package dev.hutch.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The distribution API of one registry over the JDK's HTTP client: manifests and blobs by
 * repository, with the registry's authentication answered on the way ({@link Authenticator}).
 * HTTPS first; plain HTTP only where {@link RegistryConfig#allowsPlainHttp} says so. Redirects
 * (blob stores) are followed without the registry's Authorization header, which must not leak to
 * another host. Pushes use the same {@link #send} with their own method and body ({@link BlobUploader}).
 */
public final class RegistryClient {
    /** A manifest as served: its bytes, the Content-Type and the digest the registry claims. */
    public record Manifest(byte[] body, String contentType, String digest) {}

    private final String registry;
    private final String host;
    private final RegistryConfig config;
    private final HttpClient http;
    private final Authenticator auth;
    private final BlobDownload downloads;
    private final javax.net.ssl.SSLSocketFactory tlsSockets;
    private volatile String scheme;

    public RegistryClient(RegistryConfig config, Reference ref) {
        this(config, ref.registry(), Credentials.lookup(config, ref.registry()));
    }

    /** A client for {@code registry} (host[:port], {@code docker.io} for Docker Hub) with these credentials (or none). */
    public RegistryClient(RegistryConfig config, String registry, Credentials credentials) {
        this.registry = registry;
        this.host = Reference.apiHost(registry);
        this.config = config;
        // HTTP/1.1: over the JDK's HTTP/2 a 40 MB blob took about twice as long from a local registry
        javax.net.ssl.SSLContext tls = RegistryTls.contextFor(config, registry);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.tlsSockets = tls.getSocketFactory();
        this.downloads = new BlobDownload(tlsSockets);
        this.auth = new Authenticator(http, registry, credentials);
    }

    Authenticator authenticator() { return auth; }

    public String registry() { return registry; }

    public Manifest manifest(String repository, String reference) throws InterruptedException {
        String accept = String.join(", ", ManifestParser.ACCEPTED);
        HttpResponse<byte[]> r = send("/v2/" + repository + "/manifests/" + reference, pullScope(repository),
                b -> b.header("Accept", accept), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404)
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, "manifest for " + registry + "/" + repository
                    + (reference.startsWith("sha256:") ? "@" : ":") + reference + " not found: manifest unknown (check the name and tag)");
        expectOk(r, "manifest " + reference);
        return new Manifest(r.body(), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Docker-Content-Digest").orElse(null));
    }

    /**
     * {@code hutch login}: whether the registry takes this client's credentials, asked on
     * {@code /v2/} as docker does. A registry that asks for none (200) takes them too.
     * Throws the one-line "unauthorized" when it refuses them.
     */
    public void login() throws InterruptedException {
        HttpResponse<byte[]> r = exchange("/v2/", () -> HttpRequest.newBuilder().timeout(Duration.ofSeconds(30)).GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) return;
        if (r.statusCode() != 401) expectOk(r, "/v2/");
        String header;
        try {
            header = auth.loginHeader(r.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (IOException e) {
            throw unreachable(e);
        }
        HttpResponse<byte[]> again = exchange("/v2/", () -> HttpRequest.newBuilder().timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", header), HttpResponse.BodyHandlers.ofByteArray());
        if (again.statusCode() == 401 || again.statusCode() == 403) throw auth.rejected(null, null);
        expectOk(again, "/v2/ with the credentials");
    }

    /**
     * Opens a blob from {@code offset} (an HTTP Range, to resume), over {@link BlobDownload}. The
     * caller checks the status: 206 when the range was honoured, 200 when the whole blob comes again.
     */
    public BlobDownload.Response blob(String repository, String digest, long offset) throws InterruptedException {
        String path = "/v2/" + repository + "/blobs/" + digest, scope = pullScope(repository);
        String header = auth.header(scope);
        for (int attempt = 0; ; attempt++) {
            BlobDownload.Response r = blobOnce(path, header, offset);
            if (r.status() == 200 || r.status() == 206) return r;
            if (r.status() == 401) {
                if (attempt > 0) throw auth.rejected(r.wwwAuthenticate(), scope);
                try {
                    header = auth.answer(r.wwwAuthenticate(), scope);
                } catch (IOException e) {
                    throw unreachable(e);
                }
                continue;
            }
            if (r.status() == 404)
                throw new RegistryException(RegistryException.Kind.NOT_FOUND, "blob " + digest + " is missing from " + registry + "/" + repository + " (blob unknown)");
            throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " answered " + r.status() + " for blob " + digest);
        }
    }

    /** One blob GET on the scheme learnt (or HTTPS, then plain HTTP where allowed), as {@link #exchange} does. */
    private BlobDownload.Response blobOnce(String path, String header, long offset) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        String known = scheme;
        java.util.function.Function<String, RegistryException> protocol =
                why -> new RegistryException(RegistryException.Kind.PROTOCOL, registry + " " + why);
        try {
            BlobDownload.Response r = downloads.get(uri(path, known == null ? "https" : known), header, offset, protocol);
            if (known == null) scheme = "https";
            return r;
        } catch (IOException tlsFailure) {
            if (known != null || !config.allowsPlainHttp(registry)) throw unreachable(tlsFailure);
            try {
                BlobDownload.Response r = downloads.get(uri(path, "http"), header, offset, protocol);
                scheme = "http";
                return r;
            } catch (IOException plainFailure) {
                throw unreachable(tlsFailure);
            }
        }
    }

    /**
     * A streamed {@code PATCH} to an upload session's {@code location} ({@link StreamedPatch}), on
     * the scheme this client speaks to the registry (an upload session exists only once a POST
     * found it). A 401 (a token that expired during the push) gets one fresh answer and the body
     * written again, which the caller's body writer must allow.
     */
    StreamedPatch.Answer patchStreamed(String location, String scope, StreamedPatch.Body body) throws InterruptedException {
        String header = auth.header(scope);
        for (int attempt = 0; ; attempt++) {
            if (Thread.interrupted()) throw new InterruptedException();
            StreamedPatch.Answer a;
            try {
                a = StreamedPatch.send(uri(location, scheme == null ? "https" : scheme), header, tlsSockets, body);
            } catch (java.io.InterruptedIOException e) {
                throw new InterruptedException("interrupted in the middle of an upload");
            } catch (IOException e) {
                throw unreachable(e);
            }
            if (a.status() != 401) return a;
            if (attempt > 0) throw auth.rejected(a.header("WWW-Authenticate"), scope);
            try {
                header = auth.answer(a.header("WWW-Authenticate"), scope);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
    }

    static String pullScope(String repository) { return "repository:" + repository + ":pull"; }

    static String pushScope(String repository) { return "repository:" + repository + ":pull,push"; }

    /** One request with authentication and redirects handled; 401 after a fresh answer means wrong credentials. */
    <T> HttpResponse<T> send(String path, String scope, java.util.function.UnaryOperator<HttpRequest.Builder> extra,
                             HttpResponse.BodyHandler<T> body) throws InterruptedException {
        String header = auth.header(scope);
        for (int attempt = 0; ; attempt++) {
            String h = header;
            HttpResponse<T> r = exchange(path, () -> {
                HttpRequest.Builder b = extra.apply(HttpRequest.newBuilder().timeout(Duration.ofMinutes(5)).GET());
                if (h != null) b.header("Authorization", h);
                return b;
            }, body);
            if (r.statusCode() != 401) return r;
            close(r.body());
            if (attempt > 0) throw auth.rejected(r.headers().firstValue("WWW-Authenticate").orElse(null), scope);
            try {
                header = auth.answer(r.headers().firstValue("WWW-Authenticate").orElse(null), scope);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
    }

    /**
     * HTTPS, or plain HTTP once HTTPS failed for a registry that may use it. The scheme is learnt
     * once per client; requests racing to learn it (a push's first layers, all at once) each fall
     * back on their own rather than fail because another thread got there first.
     */
    private <T> HttpResponse<T> exchange(String path, Supplier<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> body) throws InterruptedException {
        String known = scheme;
        try {
            HttpResponse<T> r = followRedirects(request.get().uri(uri(path, known == null ? "https" : known)).build(), body);
            if (known == null) scheme = "https";
            return r;
        } catch (IOException tlsFailure) {
            if (known != null || !config.allowsPlainHttp(registry)) throw unreachable(tlsFailure);
            try {
                HttpResponse<T> r = followRedirects(request.get().uri(uri(path, "http")).build(), body);
                scheme = "http";
                return r;
            } catch (IOException plainFailure) {
                throw unreachable(tlsFailure);
            }
        }
    }

    private <T> HttpResponse<T> followRedirects(HttpRequest first, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        HttpRequest req = first;
        for (int hops = 0; ; hops++) {
            HttpResponse<T> r = http.send(req, body);
            int s = r.statusCode();
            if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) return r;
            // an upload's PATCH, PUT or POST is never replayed elsewhere: the caller sees the answer
            if (!req.method().equals("GET") && !req.method().equals("HEAD")) return r;
            close(r.body());
            if (hops >= 5) throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " redirected more than 5 times for " + first.uri().getPath());
            URI next = req.uri().resolve(r.headers().firstValue("Location").orElseThrow(() ->
                    new RegistryException(RegistryException.Kind.PROTOCOL, registry + " redirected without a Location")));
            HttpRequest.Builder b = HttpRequest.newBuilder(next).timeout(Duration.ofMinutes(5)).method(req.method(), HttpRequest.BodyPublishers.noBody());
            // only the Range header travels on: the Authorization is the registry's, not the blob store's
            req.headers().firstValue("Range").ifPresent(v -> b.header("Range", v));
            req = b.build();
        }
    }

    /**
     * A path on this registry, or an upload session's Location as the registry sent it: absolute
     * (its path and query are kept, on the scheme hutch already speaks to it) or relative.
     */
    private URI uri(String path, String scheme) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            URI abs = URI.create(path);
            if (!host.equalsIgnoreCase(abs.getRawAuthority()))
                throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " sent an upload location on another host ("
                        + abs.getRawAuthority() + "), where hutch does not send its credentials");
            path = abs.getRawPath() + (abs.getRawQuery() != null ? "?" + abs.getRawQuery() : "");
        }
        return URI.create(scheme + "://" + host + path);
    }

    RegistryException unreachable(Exception e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof HttpConnectTimeoutException ? "no answer within 15 s"
                : e.getCause() instanceof UnresolvedAddressException ? "unknown host"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new RegistryException(RegistryException.Kind.UNREACHABLE, "cannot reach the registry " + registry + ": " + why
                + " (is it running, and is the address right?" + (config.allowsPlainHttp(registry) ? "" : " a plain-HTTP registry must be listed in --insecure-registry") + ")", e);
    }

    private static void expectOk(HttpResponse<?> r, String what) {
        if (r.statusCode() != 200)
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "the registry answered " + r.statusCode() + " for " + what
                    + errorText(r.body()));
    }

    private static String errorText(Object body) {
        if (body instanceof byte[] b && b.length > 0 && b.length < 2000) return ": " + new String(b, java.nio.charset.StandardCharsets.UTF_8).trim();
        return "";
    }

    static void close(Object body) {
        if (body instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection goes back or is dropped: nothing to keep
            }
        }
    }
}
