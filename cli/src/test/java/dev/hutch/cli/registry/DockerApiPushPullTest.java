package dev.hutch.cli.registry;

import dev.hutch.cli.service.ServiceProcess;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker push and docker pull through hutch's Docker API, against Docker's own registry server on
 * 127.0.0.1 (TLS with the test's CA, htpasswd auth): the docker CLI sends the credentials of its
 * own config as X-Registry-Auth, the service pushes with hutch's registry client. Judged from
 * outside: the tag in the registry's storage, and the pulled image run by a new container.
 */
@RequiresRoot
@RequiresCommand({"docker-registry", "htpasswd", "openssl"})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerApiPushPullTest {
    static final Path DOCKER = Path.of("/usr/bin/docker");
    static RegistryFixture fx;
    static ServiceProcess service;
    static Path socket, dockerConfig;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(DOCKER), "needs the docker CLI at " + DOCKER);
        fx = new RegistryFixture();
        Map<String, String> env = new HashMap<>(fx.environment());
        // the service has no credentials of its own: a push that works got them from the request
        env.put("HUTCH_AUTH_FILE", fx.roots.dir().resolve("service-has-no-auth.json").toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        socket = fx.roots.dir().resolve("api/docker.sock");
        env.put("HUTCH_DOCKER_SOCKET", socket.toString());
        service = ServiceProcess.start(env, fx.roots.dir().resolve("engine"), "600", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(socket), "the service made no Docker API socket: " + service.logText());
        // the docker CLI's own credentials for the registry, which it sends as X-Registry-Auth
        dockerConfig = Files.createDirectories(fx.roots.dir().resolve("docker-config"));
        String auth = Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + fx.registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (service != null) service.close();
        } finally {
            if (fx != null) fx.close();
        }
    }

    static Result docker(Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(fx.roots.dir(), "docker-out", ".txt"), err = Files.createTempFile(fx.roots.dir(), "docker-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().put("DOCKER_CONFIG", config.toString());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("docker " + String.join(" ", args) + " did not end in 180 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        System.out.println("$ docker " + String.join(" ", args) + "  -> " + r);
        return r;
    }

    static Result ok(String... args) throws Exception {
        Result r = docker(dockerConfig, args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
        return r;
    }

    @Test
    void dockerPushesWithItsCredentialsAndPullsItBack() throws Exception {
        String marker = "via-api-" + fx.roots.tag();
        String local = fx.commit("echo " + marker + " > /pushed", "apipush");
        String ref = fx.registry.host() + "/test/apipush:1";
        ok("tag", local, ref);

        Result anonymous = docker(Files.createDirectories(fx.roots.dir().resolve("empty-docker-config")), "push", ref);
        assertNotEquals(0, anonymous.code(), "no credentials: the registry refuses, and docker says so: " + anonymous);

        Result pushed = ok("push", ref);
        assertTrue(pushed.out().contains("The push refers to repository [" + fx.registry.host() + "/test/apipush]"), pushed.out());
        assertTrue(pushed.out().matches("(?s).*1: digest: sha256:[0-9a-f]{64} size: \\d+.*"), pushed.out());
        assertTrue(Files.exists(fx.registry.storage().resolve("docker/registry/v2/repositories/test/apipush/_manifests/tags/1")),
                "the tag is in the registry's own storage");

        ok("rmi", ref);
        ok("rmi", local);
        Result pulled = ok("pull", ref);
        assertTrue(pulled.out().contains("Status: Downloaded newer image for " + ref), pulled.out());
        assertEquals(marker + "\n", ok("run", "--rm", ref, "cat", "/pushed").out(), "the pulled image runs with the pushed layer");
        ok("rmi", ref);
    }
}
