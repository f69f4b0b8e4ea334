package dev.hutch.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** WWW-Authenticate challenges, credential files in docker's form, and who may use plain HTTP. */
class AuthTest {
    @Test
    void bearerAndBasicChallengesParse() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");
        assertEquals("bearer", c.scheme());
        assertEquals("https://auth.docker.io/token", c.params().get("realm"));
        assertEquals("repository:library/alpine:pull", c.params().get("scope"));
        assertEquals("basic", Challenge.parse("Basic realm=\"hutch-test\"").scheme());
    }

    @Test
    void credentialsComeFromHutchsPrivateFileThenDockers(@TempDir Path dir) throws Exception {
        String b64 = Base64.getEncoder().encodeToString("u:p:w".getBytes());
        Path hutch = dir.resolve("auth.json");
        Files.writeString(hutch, "{\"auths\":{\"reg.io:5000\":{\"auth\":\"" + b64 + "\"}}}");
        Files.setPosixFilePermissions(hutch, PosixFilePermissions.fromString("rw-------"));
        Path docker = dir.resolve("docker/config.json");
        Files.createDirectories(docker.getParent());
        Files.writeString(docker, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + Base64.getEncoder().encodeToString("hub:pw".getBytes()) + "\"}}}");
        RegistryConfig cfg = RegistryConfig.fromEnvironment(Map.of("HUTCH_AUTH_FILE", hutch.toString(), "DOCKER_CONFIG", docker.getParent().toString()), dir);
        assertEquals(new Credentials("u", "p:w"), Credentials.lookup(cfg, "reg.io:5000"), "the password may hold a colon");
        assertEquals(new Credentials("hub", "pw"), Credentials.lookup(cfg, "docker.io"));
        assertNull(Credentials.lookup(cfg, "other.io"));

        Files.setPosixFilePermissions(hutch, PosixFilePermissions.fromString("rw-r--r--"));
        dev.hutch.HutchException e = assertThrows(dev.hutch.HutchException.class, () -> Credentials.lookup(cfg, "reg.io:5000"));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void plainHttpOnlyForListedAndLoopbackRegistries() {
        RegistryConfig cfg = RegistryConfig.fromEnvironment(Map.of("HUTCH_INSECURE_REGISTRIES", "lab.example:5000, other:80"), Path.of("/x"));
        assertTrue(cfg.allowsPlainHttp("lab.example:5000"));
        assertTrue(cfg.allowsPlainHttp("other:80"));
        assertFalse(cfg.allowsPlainHttp("lab.example:5001"));
        assertFalse(cfg.allowsPlainHttp("docker.io"));
        assertTrue(cfg.allowsPlainHttp("127.0.0.1:5000"));
        assertTrue(cfg.allowsPlainHttp("localhost:5000"));
        assertTrue(cfg.withInsecure(java.util.List.of("x.io")).allowsPlainHttp("x.io"));
    }
}
