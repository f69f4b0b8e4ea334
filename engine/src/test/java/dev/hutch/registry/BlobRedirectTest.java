package dev.hutch.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.hutch.util.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A registry that sends its blobs from another host (a 307 to blob storage, as Docker Hub and
 * cloud registries do): the blob arrives and verifies, the registry's credentials went to the
 * registry only, and the blob store saw no Authorization header. Two JDK HTTP servers on
 * 127.0.0.1: the registry over TLS with a certificate keytool makes here (trusted through
 * certs.d, as a registry's CA is), the blob store over plain HTTP on another port.
 */
class BlobRedirectTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() { servers.forEach(s -> s.stop(0)); }

    private HttpServer server() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        servers.add(s);
        return s;
    }

    /** An HTTPS server whose self-signed certificate (IP 127.0.0.1) keytool writes; its PEM goes to {@code caFile}. */
    private HttpsServer tlsServer(Path dir, Path caFile) throws Exception {
        Path ks = dir.resolve("registry.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        Files.createDirectories(caFile.getParent());
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", ks.toString(), "-storepass", "changeit", "-file", caFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) { store.load(in, "changeit".toCharArray()); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        servers.add(s);
        return s;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }

    @Test
    void aBlobRedirectedToAnotherHostArrivesWithoutTheRegistrysCredentials(@TempDir Path dir) throws Exception {
        byte[] blob = "a layer's bytes, served by the blob store\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + Sha256.hex(blob);
        List<String> storeAuth = new ArrayList<>(), registryAuth = new ArrayList<>();

        HttpServer store = server();
        store.createContext("/", ex -> {
            storeAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            reply(ex, 200, blob, Map.of());
        });
        store.start();
        String storeUrl = "http://127.0.0.1:" + store.getAddress().getPort() + "/signed/" + digest.substring(7) + "?token=t";

        // the registry's port is known only once it listens: the CA file goes under certs.d/HOST:PORT after
        Path certs = dir.resolve("certs.d");
        HttpsServer registry = tlsServer(dir, dir.resolve("ca.crt"));
        registry.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            registryAuth.add(String.valueOf(auth));
            if (auth == null) reply(ex, 401, new byte[0], Map.of("WWW-Authenticate", "Basic realm=\"test\""));
            else reply(ex, 307, new byte[0], Map.of("Location", storeUrl));
        });
        registry.start();
        String host = "127.0.0.1:" + registry.getAddress().getPort();
        Files.createDirectories(certs.resolve(host));
        Files.copy(dir.resolve("ca.crt"), certs.resolve(host).resolve("ca.crt"));

        Path authFile = dir.resolve("auth.json");
        Files.writeString(authFile, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + Base64.getEncoder().encodeToString("u:secret".getBytes()) + "\"}}}");
        Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-------"));
        RegistryConfig cfg = RegistryConfig.fromEnvironment(Map.of("HUTCH_AUTH_FILE", authFile.toString(),
                "DOCKER_CONFIG", dir.resolve("none").toString(), "HUTCH_CERTS_DIR", certs.toString()), dir);
        RegistryClient client = new RegistryClient(cfg, host, Credentials.lookup(cfg, host));

        Path file = dir.resolve("blob");
        new BlobFetcher(client, "team/app").fetch(new Descriptor("application/octet-stream", digest, blob.length, null), file, n -> { });

        assertArrayEquals(blob, Files.readAllBytes(file), "the blob came from the store and verified");
        assertEquals(List.of("null"), storeAuth, "the blob store got no Authorization header");
        assertTrue(registryAuth.stream().anyMatch(a -> a.startsWith("Basic ")), "the registry got the credentials: " + registryAuth);
    }

    private static void reply(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
        ex.close();
    }
}
