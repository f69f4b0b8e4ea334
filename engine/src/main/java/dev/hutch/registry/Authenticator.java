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
 * kept per scope so the layers of one pull share it. A push will ask for {@code pull,push} scopes
 * the same way.
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

    /** The Authorization header known for this scope, or null before the first challenge. */
    String header(String scope) { return headerByScope.get(scope); }

    /** Works out the header for a challenge; throws a one-line error when it cannot. */
    String answer(String wwwAuthenticate, String scope) throws IOException, InterruptedException {
        Challenge c = Challenge.parse(wwwAuthenticate);
        if (c == null) throw unauthorized("it answered 401 without a WWW-Authenticate challenge");
        String header = switch (c.scheme()) {
            case "basic" -> {
                if (credentials == null) throw unauthorized("it needs a user name and password and none is stored for " + registry);
                yield credentials.basicHeader();
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
        url.append("scope=").append(enc(c.params().getOrDefault("scope", scope)));
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

    /** After a 401 with our header: the credentials are wrong (or there are none). */
    RegistryException rejected() {
        return unauthorized(credentials == null ? "it needs credentials and none are stored for " + registry
                : "it refused the password of user '" + credentials.user() + "'");
    }

    private RegistryException unauthorized(String why) {
        return new RegistryException(RegistryException.Kind.UNAUTHORIZED, "unauthorized: " + registry + " did not let hutch in: " + why
                + " (hutch reads ~/.docker/config.json and its own auth.json)");
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
