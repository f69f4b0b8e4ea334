package dev.hutch.registry;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's 401: for {@code Basic}, the user's credentials; for {@code Bearer}, a token
 * from the challenge's realm (with the credentials when there are any, anonymously otherwise),
 * kept per scope so the layers of one pull share it. A push asks for {@code pull,push} on its
 * repository (and {@code pull} on the one a blob is mounted from): hutch's own scopes, space
 * separated, each sent as a {@code scope} parameter, as docker does.
 */
final class Authenticator {
    private final HttpClient http;
    private final String registry;
    private final Credentials credentials;
    private final Map<String, String> headerByScope = new ConcurrentHashMap<>();

    Authenticator(HttpClient http, String registry, Credentials credentials) {
        this.http = http;
        this.registry = registry;
        this.credentials = credentials;
    }

    private volatile String basic;

    /**
     * The Authorization header known for this scope, or null before the first challenge. Basic
     * credentials, once the registry asked for them, go with every request: they do not depend on
     * the scope, and a request sent without them would only meet the same challenge again.
     */
    String header(String scope) {
        String h = headerByScope.get(scope);
        return h != null ? h : basic;
    }

    /** Works out the header for a challenge; throws a one-line error when it cannot. */
    String answer(String wwwAuthenticate, String scope) throws IOException, InterruptedException {
        Challenge c = Challenge.parse(wwwAuthenticate);
        if (c == null) throw unauthorized("it answered 401 without a WWW-Authenticate challenge");
        String header = switch (c.scheme()) {
            case "basic" -> {
                if (credentials == null) throw unauthorized("it needs a user name and password and none is stored for " + registry);
                basic = credentials.basicHeader();
                yield basic;
            }
            case "bearer" -> "Bearer " + token(c, scope);
            default -> throw unauthorized("it asks for \"" + c.scheme() + "\" authentication, which hutch does not speak");
        };
        headerByScope.put(scope, header);
        return header;
    }

    private String token(Challenge c, String scope) throws IOException, InterruptedException {
        String realm = c.params().get("realm");
        if (realm == null) throw unauthorized("its Bearer challenge names no realm");
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (c.params().containsKey("service")) url.append("service=").append(enc(c.params().get("service"))).append('&');
        String wanted = scope != null ? scope : c.params().get("scope");
        if (wanted != null) for (String one : wanted.trim().split("\\s+")) url.append("scope=").append(enc(one)).append('&');
        if (credentials != null) url.append("account=").append(enc(credentials.user())).append('&');
        url.setLength(url.length() - 1);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30)).GET();
        if (credentials != null) req.header("Authorization", credentials.basicHeader());
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401 || r.statusCode() == 403) throw unauthorized(credentials == null
                ? "it gives no anonymous access (store credentials for " + registry + ")"
                : "it refused the password of user '" + credentials.user() + "'");
        if (r.statusCode() != 200) throw new RegistryException(RegistryException.Kind.PROTOCOL, "the token service of " + registry + " answered " + r.statusCode());
        JsonReader t = JsonReader.of(Json.parseObject(r.body()));
        String token = t.string("token", t.string("access_token"));
        if (token == null) throw new RegistryException(RegistryException.Kind.PROTOCOL, "the token service of " + registry + " sent no token");
        return token;
    }

    /**
     * After a 401 with our header: the credentials are wrong (or there are none), or, when the
     * challenge says {@code insufficient_scope}, they are right but do not allow this (a push to
     * someone else's repository).
     */
    RegistryException rejected(String wwwAuthenticate, String scope) {
        Challenge c = Challenge.parse(wwwAuthenticate);
        if (c != null && "insufficient_scope".equals(c.params().get("error")))
            return new RegistryException(RegistryException.Kind.UNAUTHORIZED, "denied: " + registry + " does not give "
                    + (credentials == null ? "anonymous users" : "user '" + credentials.user() + "'") + " the access " + scope
                    + " (requested access to the resource is denied)");
        return unauthorized(credentials == null ? "it needs credentials and none are stored for " + registry
                : "it refused the password of user '" + credentials.user() + "'");
    }

    /**
     * {@code hutch login}: the header that answers the {@code /v2/} challenge with these
     * credentials, for the caller to try (Basic: the credentials; Bearer: a token from the realm,
     * asked for with no scope, as docker does, which fails here already when the password is wrong).
     */
    String loginHeader(String wwwAuthenticate) throws IOException, InterruptedException {
        Challenge c = Challenge.parse(wwwAuthenticate);
        if (c == null) throw unauthorized("it answered 401 without a WWW-Authenticate challenge");
        return switch (c.scheme()) {
            case "basic" -> credentials.basicHeader();
            case "bearer" -> {
                Map<String, String> params = new java.util.LinkedHashMap<>(c.params());
                params.remove("scope");
                yield "Bearer " + token(new Challenge(c.scheme(), params), null);
            }
            default -> throw unauthorized("it asks for \"" + c.scheme() + "\" authentication, which hutch does not speak");
        };
    }

    private RegistryException unauthorized(String why) {
        return new RegistryException(RegistryException.Kind.UNAUTHORIZED, "unauthorized: " + registry + " did not let hutch in: " + why
                + " (hutch login " + registry + " stores them; hutch also reads ~/.docker/config.json)");
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
