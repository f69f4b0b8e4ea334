package dev.hutch.cli.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Docker's own registry server (Debian's {@code docker-registry}, distribution 2.8) on 127.0.0.1
 * and a free port, for one test class: TLS with a CA the test makes with openssl (placed as
 * {@code certs.d/127.0.0.1:PORT/ca.crt}, as docker and hutch read it), htpasswd auth (bcrypt, from
 * {@code htpasswd -B}), storage and access log in the test's dir. Stopped by the pid it started.
 */
final class LocalRegistry implements AutoCloseable {
    static final String USER = "hutch-test";
    static final String PASSWORD = "s3cret-pass";

    final Path dir;
    final int port;
    final Path certsDir;
    final Path log;
    private Process process;

    LocalRegistry(Path dir) throws IOException, InterruptedException { this(dir, null); }

    /**
     * @param tokens null for htpasswd (basic) auth; else the registry takes only the bearer tokens
     *               this server issues, as Docker Hub and other public registries do
     */
    LocalRegistry(Path dir, TokenServer tokens) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        this.certsDir = dir.resolve("certs.d");
        this.log = dir.resolve("registry.log");
        makeCertificates();
        sh("htpasswd -Bbn " + USER + " " + PASSWORD + " > htpasswd");
        String auth = tokens != null ? tokens.registryAuthConfig() : """
                auth:
                  htpasswd:
                    realm: hutch-test
                    path: %s
                """.formatted(dir.resolve("htpasswd"));
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  tls:
                    certificate: %s
                    key: %s
                """.formatted(dir.resolve("storage"), port, dir.resolve("server.crt"), dir.resolve("server.key")) + auth);
        start();
    }

    String host() { return "127.0.0.1:" + port; }

    Path storage() { return dir.resolve("storage"); }

    /** Starts the server unless this object's one still runs (never a second one: its pid would be lost). */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) return;
        process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        waitForPort(port, process);
    }

    /** Stops the server by the pid this object started, and waits for it to be gone. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** The CA dir for another host name that reaches this registry (a proxy's port). */
    void trustFor(String host) throws IOException {
        Path d = Files.createDirectories(certsDir.resolve(host));
        Files.copy(dir.resolve("ca.crt"), d.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A hutch credentials file (docker's format, 0600) with this password for these hosts. */
    Path authFile(String name, String password, String... hosts) throws IOException {
        StringBuilder sb = new StringBuilder("{\"auths\": {");
        for (int i = 0; i < hosts.length; i++) {
            String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
            sb.append(i == 0 ? "" : ", ").append('"').append(hosts[i]).append("\": {\"auth\": \"").append(auth).append("\"}");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("}}\n"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** skopeo copy into this registry, with its credentials and CA. */
    void push(String source, String repoTag, boolean all, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-creds", USER + ":" + PASSWORD,
                "--dest-cert-dir", certsDir.resolve(host()).toString()));
        if (all) cmd.add("--all");
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of(source, "docker://" + host() + "/" + repoTag));
        run(cmd);
    }

    /** The manifest of an image as the registry serves it (skopeo inspect --raw). */
    String rawManifest(String repoTag) throws IOException, InterruptedException {
        return run(List.of("skopeo", "inspect", "--raw", "--creds", USER + ":" + PASSWORD,
                "--cert-dir", certsDir.resolve(host()).toString(), "docker://" + host() + "/" + repoTag));
    }

    /** How many GETs of this blob the access log shows. */
    long blobGets(String digest) throws IOException {
        if (!Files.exists(log)) return 0;
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/" + digest)).count();
        }
    }

    /**
     * The access log's requests so far, as "METHOD /path?query" in order (a test compares before
     * and after); those answered 401 (the auth challenge a client meets before it sends its
     * credentials) are left out.
     */
    List<String> requests() throws IOException {
        if (!Files.exists(log)) return List.of();
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.startsWith("127.0.0.1 - - [") && !l.matches(".*\" HTTP/1\\.[01]\" 401 .*")).map(l -> {
                int q = l.indexOf('"');
                String req = l.substring(q + 1, l.indexOf('"', q + 1));
                return req.substring(0, req.lastIndexOf(' ')); // without " HTTP/1.1"
            }).toList();
        }
    }

    /** The file the registry serves a blob from (filesystem driver layout). */
    Path blobData(String digest) {
        String hex = digest.substring(7);
        return storage().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    @Override
    public void close() throws InterruptedException { stop(); }

    private void makeCertificates() throws IOException, InterruptedException {
        sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=hutch-test-ca 2>/dev/null"
                + " && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null"
                + " && printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > san.ext"
                + " && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext 2>/dev/null");
        trustFor(host());
    }

    private void sh(String script) throws IOException, InterruptedException {
        run(List.of("sh", "-c", "cd '" + dir + "' && " + script));
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + cmd);
        }
        if (p.exitValue() != 0) throw new AssertionError("failed (" + p.exitValue() + "): " + cmd + "\n" + out);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void waitForPort(int port, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new AssertionError("the registry exited with " + p.exitValue() + " before listening");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the registry did not listen on 127.0.0.1:" + port + " within 20 s");
    }
}
