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
 * another host. Push will add upload calls on the same {@link #send}.
 */
public final class RegistryClient {
    /** A manifest as served: its bytes, the Content-Type and the digest the registry claims. */
    public record Manifest(byte[] body, String contentType, String digest) {}

    private final String registry;
    private final String host;
    private final RegistryConfig config;
    private final HttpClient http;
    private final Authenticator auth;
    private volatile String scheme;

    public RegistryClient(RegistryConfig config, Reference ref) {
        this.registry = ref.registry();
        this.host = ref.apiHost();
        this.config = config;
        // HTTP/1.1: over the JDK's HTTP/2 a 40 MB blob took about twice as long from a local registry
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(RegistryTls.contextFor(config, registry))
                .connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.auth = new Authenticator(http, registry, Credentials.lookup(config, registry));
    }

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
     * Opens a blob from {@code offset} (an HTTP Range, to resume). The caller checks the status:
     * 206 when the range was honoured, 200 when the whole blob comes again.
     */
    public HttpResponse<InputStream> blob(String repository, String digest, long offset) throws InterruptedException {
        HttpResponse<InputStream> r = send("/v2/" + repository + "/blobs/" + digest, pullScope(repository),
                b -> offset > 0 ? b.header("Range", "bytes=" + offset + "-") : b, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200 || r.statusCode() == 206) return r;
        close(r.body());
        if (r.statusCode() == 404)
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, "blob " + digest + " is missing from " + registry + "/" + repository + " (blob unknown)");
        throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " answered " + r.statusCode() + " for blob " + digest);
    }

    static String pullScope(String repository) { return "repository:" + repository + ":pull"; }

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
            if (attempt > 0) throw auth.rejected();
            try {
                header = auth.answer(r.headers().firstValue("WWW-Authenticate").orElse(null), scope);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
    }

    private <T> HttpResponse<T> exchange(String path, Supplier<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> body) throws InterruptedException {
        try {
            HttpResponse<T> r = followRedirects(request.get().uri(uri(path)).build(), body);
            if (scheme == null) scheme = "https";
            return r;
        } catch (IOException tlsFailure) {
            if (scheme != null || !config.allowsPlainHttp(registry)) throw unreachable(tlsFailure);
            try {
                scheme = "http";
                return followRedirects(request.get().uri(uri(path)).build(), body);
            } catch (IOException plainFailure) {
                scheme = null;
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
            close(r.body());
            if (hops >= 5) throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " redirected more than 5 times for " + first.uri().getPath());
            URI next = req.uri().resolve(r.headers().firstValue("Location").orElseThrow(() ->
                    new RegistryException(RegistryException.Kind.PROTOCOL, registry + " redirected without a Location")));
            HttpRequest.Builder b = HttpRequest.newBuilder(next).timeout(Duration.ofMinutes(5)).GET();
            // only the Range header travels on: the Authorization is the registry's, not the blob store's
            req.headers().firstValue("Range").ifPresent(v -> b.header("Range", v));
            req = b.build();
        }
    }

    private URI uri(String path) {
        return URI.create((scheme == null ? "https" : scheme) + "://" + host + path);
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
