package dev.hutch.cli.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hutch.json.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A token server as Docker Hub's auth.docker.io is one, for Docker's registry server in token mode:
 * it checks the user's basic credentials and answers {@code {"token": JWT}} for the scopes asked
 * for, signed RS256 with a key openssl makes here, the signing certificate in the JWT's
 * {@code x5c} header and in the registry's {@code rootcertbundle}. A request without credentials
 * or with the wrong password gets 401. Every grant is recorded as "account scope" for the test.
 * Listens on 127.0.0.1 only; closed by the test.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "hutch-test-registry", ISSUER = "hutch-test-issuer";

    private final Path dir;
    private final HttpServer http;
    private final PrivateKey key;
    private final String certificate;
    private final List<String> grants = Collections.synchronizedList(new ArrayList<>());
    private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());

    TokenServer(Path dir) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        LocalRegistry.run(List.of("sh", "-c", "cd '" + dir + "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout token.key"
                + " -out token.crt -days 2 -subj /CN=hutch-test-token-signer 2>/dev/null"));
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(dir.resolve("token.key"))));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the token key openssl wrote: " + e.getMessage(), e);
        }
        certificate = Base64.getEncoder().encodeToString(pemBody(dir.resolve("token.crt")));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/token", this::token);
        http.start();
    }

    String realm() { return "http://127.0.0.1:" + http.getAddress().getPort() + "/token"; }

    /** The registry's config.yml {@code auth:} block for this server. */
    String registryAuthConfig() {
        return """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(realm(), SERVICE, ISSUER, dir.resolve("token.crt"));
    }

    /** "account scope" of every token issued so far, in order. */
    List<String> grants() { synchronized (grants) { return List.copyOf(grants); } }

    /** How many token requests were refused (no or wrong credentials). */
    int refusals() { return refusals.size(); }

    private void token(HttpExchange ex) throws IOException {
        Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
        String user = basicUser(ex.getRequestHeaders().getFirst("Authorization"));
        if (user == null || !SERVICE.equals(first(query, "service"))) {
            refusals.add(String.valueOf(user));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        List<Map<String, Object>> access = new ArrayList<>();
        for (String scope : query.getOrDefault("scope", List.of())) {
            String[] p = scope.split(":"); // repository:NAME:ACTIONS (a name has no colon)
            if (p.length != 3) continue;
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("type", p[0]);
            a.put("name", p[1]);
            a.put("actions", List.of(p[2].split(",")));
            access.add(a);
            grants.add(user + " " + scope);
        }
        String jwt = sign(user, access);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        reply(ex, 200, "{\"token\": \"" + jwt + "\", \"access_token\": \"" + jwt + "\", \"expires_in\": 300}");
    }

    private String sign(String user, List<Map<String, Object>> access) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("x5c", List.of(certificate));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", user);
        claims.put("aud", SERVICE);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        String signed = b64url(Json.write(header)) + "." + b64url(Json.write(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String basicUser(String header) {
        if (header == null || !header.startsWith("Basic ")) return null;
        String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) return null;
        String user = pair.substring(0, colon), password = pair.substring(colon + 1);
        return LocalRegistry.USER.equals(user) && LocalRegistry.PASSWORD.equals(password) ? user : null;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq < 0) continue;
            q.computeIfAbsent(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static byte[] pemBody(Path pem) throws IOException {
        String b64 = Files.readAllLines(pem).stream().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        return Base64.getDecoder().decode(b64);
    }

    private static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() { http.stop(0); ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow(); }
}
