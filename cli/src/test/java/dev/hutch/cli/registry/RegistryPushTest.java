package dev.hutch.cli.registry;

import dev.hutch.cli.HutchProcess;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hutch push, login and logout against Docker's own registry server on 127.0.0.1 (TLS with the
 * test's CA, htpasswd auth; {@link RegistryFixture}). What hutch sent is judged from outside: skopeo
 * reads the manifest, podman (its own root, runroot and tmpdir under the test's dir, removed at the
 * end) pulls the image and runs it, and the registry's access log tells a mount from an upload and
 * a chunked upload from a monolithic one. Install the peers with scripts/registry-peers.sh.
 */
@RequiresRoot
@RequiresCommand({"docker-registry", "skopeo", "podman", "htpasswd", "openssl"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryPushTest {
    static RegistryFixture fx;
    static LocalRegistry registry;
    static Path podmanDir;
    static String marker;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new RegistryFixture();
        registry = fx.registry;
        podmanDir = fx.roots.dir().resolve("podman");
        marker = "pushed-" + fx.roots.tag();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (podmanDir != null && Files.isDirectory(podmanDir)) {
                // podman's own removal first (its vfs storage holds no mounts, but its state is its business)
                podman("rmi", "-a", "-f");
            }
        } finally {
            try {
                if (fx != null) fx.close();
            } finally {
                if (podmanDir != null) assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains(podmanDir.toString()), "no podman mount left");
            }
        }
    }

    @Test
    @Order(1)
    void aCommittedImageIsPushedAndPodmanPullsAndRunsIt() throws Exception {
        String local = fx.commit("echo " + marker + " > /pushed", "app");
        String ref = registry.host() + "/test/app:1";
        fx.hutchOk("tag", local, ref);
        int before = registry.requests().size();

        HutchProcess.Result r = fx.hutch("push", ref);
        assertEquals(0, r.code(), r.err());
        List<String> out = r.out().lines().toList();
        assertEquals("The push refers to repository [" + registry.host() + "/test/app]", out.get(0));
        assertEquals(2, out.stream().filter(l -> l.endsWith(": Pushed") || l.endsWith(": Layer already exists")).count(), r.out());
        String last = out.get(out.size() - 1);
        assertTrue(last.matches("1: digest: sha256:[0-9a-f]{64} size: \\d+"), last);

        // the manifest as the registry serves it: docker schema2, gzip layers, the digest hutch printed
        String raw = registry.rawManifest("test/app:1");
        JsonReader m = JsonReader.of(Json.parseObject(raw));
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", m.string("mediaType"));
        assertEquals("application/vnd.docker.container.image.v1+json", m.object("config").string("mediaType"));
        for (Object l : m.list("layers")) assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", JsonReader.of(l).string("mediaType"));
        assertEquals(last, "1: digest: " + RegistryFixture.sha256(raw.getBytes(StandardCharsets.UTF_8)) + " size: " + raw.getBytes(StandardCharsets.UTF_8).length);

        // small blobs: one PUT each, no PATCH
        List<String> sent = registry.requests().subList(before, registry.requests().size());
        assertEquals(0, count(sent, "PATCH /v2/test/app/blobs/uploads/"), String.join("\n", sent));
        assertTrue(count(sent, "PUT /v2/test/app/blobs/uploads/") >= 2, "the config and the new layer went up: " + sent);

        // podman, from its own empty store, pulls what hutch pushed (checking every digest) and runs it
        podman("pull", "-q", "--cert-dir", registry.certsDir.resolve(registry.host()).toString(),
                "--creds", LocalRegistry.USER + ":" + LocalRegistry.PASSWORD, ref);
        assertEquals(marker + "\n", podman("run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                ref, "cat", "/pushed"));
    }

    @Test
    @Order(2)
    void aSecondPushFindsTheBlobsAndAnotherRepositoryMountsThem() throws Exception {
        String ref = registry.host() + "/test/app:1";
        int before = registry.requests().size();
        HutchProcess.Result again = fx.hutch("push", ref);
        assertEquals(0, again.code(), again.err());
        assertEquals(2, again.out().lines().filter(l -> l.endsWith(": Layer already exists")).count(), again.out());
        List<String> sent = registry.requests().subList(before, registry.requests().size());
        assertEquals(0, count(sent, "POST /v2/test/app/blobs/uploads/"), "nothing uploaded: " + sent);

        String copy = registry.host() + "/test/copy:2";
        fx.hutchOk("tag", ref, copy);
        before = registry.requests().size();
        HutchProcess.Result mounted = fx.hutch("push", copy);
        assertEquals(0, mounted.code(), mounted.err());
        assertEquals(2, mounted.out().lines().filter(l -> l.endsWith(": Mounted from test/app")).count(), mounted.out());
        sent = registry.requests().subList(before, registry.requests().size());
        assertEquals(3, sent.stream().filter(s -> s.startsWith("POST /v2/test/copy/blobs/uploads/?mount=") && s.endsWith("&from=test%2Fapp")).count(),
                "two layers and the config mounted: " + sent);
        assertEquals(0, count(sent, "PATCH /v2/test/copy/"), sent.toString());
        assertEquals(0, count(sent, "PUT /v2/test/copy/blobs/"), "no blob uploaded into test/copy: " + sent);
        assertEquals(registry.rawManifest("test/app:1"), registry.rawManifest("test/copy:2"), "the same image");
    }

    @Test
    @Order(3)
    void aLayerLargerThanTheChunkGoesUpInChunks() throws Exception {
        String local = fx.commit("head -c 4000000 /dev/urandom > /big && sha256sum /big > /big.sum", "big");
        String ref = registry.host() + "/test/big:1";
        fx.hutchOk("tag", local, ref);
        int before = registry.requests().size();
        HutchProcess.Result r = fx.hutch(Map.of("HUTCH_PUSH_CHUNK_SIZE", "1048576"), "push", ref);
        assertEquals(0, r.code(), r.err());
        List<String> sent = registry.requests().subList(before, registry.requests().size());
        // 4 MB of random bytes stay about 3.8 MiB in gzip: three full 1 MiB chunks and the rest
        assertTrue(count(sent, "PATCH /v2/test/big/blobs/uploads/") >= 3, "chunked: " + sent);
        assertEquals(1, count(sent, "PUT /v2/test/big/manifests/1"));

        podman("pull", "-q", "--cert-dir", registry.certsDir.resolve(registry.host()).toString(),
                "--creds", LocalRegistry.USER + ":" + LocalRegistry.PASSWORD, ref);
        assertEquals("4000000\n", podman("run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                ref, "sh", "-c", "sha256sum -c /big.sum >/dev/null && wc -c < /big"), "the file arrived whole");
    }

    @Test
    @Order(4)
    void aLayerPulledFromOneRepositoryIsMountedIntoAnother() throws Exception {
        String ref = registry.host() + "/test/big:1";
        String top = RegistryFixture.layerDigests(registry.rawManifest("test/big:1")).get(1);
        // forget everything: no local image holds the layer, hutch knows nothing of the registry's blobs
        fx.hutchOk("rmi", ref, "big-" + fx.roots.tag() + ":1");
        dev.hutch.archive.SafePaths.deleteRecursively(fx.roots.config().libRoot().resolve("images/distribution"));
        HutchProcess.Result pull = fx.hutch("pull", ref);
        assertEquals(0, pull.code(), pull.err());
        assertTrue(pull.out().contains(top.substring(7, 19) + ": Pull complete"), "the layer came from test/big: " + pull.out());

        String copy = registry.host() + "/test/pulled-copy:1";
        fx.hutchOk("tag", ref, copy);
        int before = registry.requests().size();
        HutchProcess.Result r = fx.hutch("push", copy);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(": Mounted from test/big"), r.out());
        List<String> sent = registry.requests().subList(before, registry.requests().size());
        assertEquals(1, count(sent, "POST /v2/test/pulled-copy/blobs/uploads/?mount=" + top.replace(":", "%3A") + "&from=test%2Fbig"), sent.toString());
        assertEquals(0, sent.stream().filter(q -> q.startsWith("PUT ") && q.contains("digest=" + top.replace(":", "%3A"))).count(),
                "the 4 MB layer was not uploaded again: " + sent);
    }

    @Test
    @Order(5)
    void withoutCredentialsThePushIsRefusedInOneLine() throws Exception {
        Path none = fx.roots.dir().resolve("no-auth.json");
        int before = registry.requests().size();
        HutchProcess.Result r = fx.hutch(Map.of("HUTCH_AUTH_FILE", none.toString()), "push", registry.host() + "/test/app:1");
        assertEquals(1, r.code(), "docker push's exit code");
        RegistryFixture.assertOneLine(r.err(), "unauthorized: " + registry.host());
        List<String> sent = registry.requests().subList(before, registry.requests().size());
        assertEquals(0, count(sent, "PUT "), "nothing was stored: " + sent);

        HutchProcess.Result missing = fx.hutch("push", registry.host() + "/test/no-such-image:1");
        assertEquals(1, missing.code());
        RegistryFixture.assertOneLine(missing.err(), "An image does not exist locally with the tag: " + registry.host() + "/test/no-such-image:1");
    }

    @Test
    @Order(6)
    void loginChecksThePasswordBeforeStoringItAndLogoutRemovesIt() throws Exception {
        Path file = fx.roots.dir().resolve("login-auth.json");
        Map<String, String> env = Map.of("HUTCH_AUTH_FILE", file.toString());

        HutchProcess.Result wrong = login(env, "not-the-password");
        assertEquals(1, wrong.code());
        RegistryFixture.assertOneLine(wrong.err(), "unauthorized");
        assertFalse(Files.exists(file), "nothing stored");

        HutchProcess.Result ok = login(env, LocalRegistry.PASSWORD);
        assertEquals(0, ok.code(), ok.err());
        assertEquals("Login Succeeded\n", ok.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        byte[] stored = Files.readAllBytes(file);
        assertTrue(new String(stored, StandardCharsets.UTF_8).contains("\"" + registry.host() + "\""), new String(stored, StandardCharsets.UTF_8));

        // what login stored is what push and pull use
        HutchProcess.Result push = fx.hutch(env, "push", registry.host() + "/test/app:1");
        assertEquals(0, push.code(), push.err());

        HutchProcess.Result wrongAgain = login(env, "still-wrong");
        assertEquals(1, wrongAgain.code());
        RegistryFixture.assertOneLine(wrongAgain.err(), "unauthorized");
        assertArrayEquals(stored, Files.readAllBytes(file), "a failed login leaves the file as it was");

        HutchProcess.Result withP = fx.hutch(env, "login", "-u", LocalRegistry.USER, "-p", LocalRegistry.PASSWORD, registry.host());
        assertEquals(0, withP.code(), withP.err());
        assertTrue(withP.err().contains("WARNING! Using --password via the CLI is insecure. Use --password-stdin."), withP.err());

        HutchProcess.Result out = fx.hutch(env, "logout", registry.host());
        assertEquals(0, out.code(), out.err());
        assertEquals("Removing login credentials for " + registry.host() + "\n", out.out());
        assertFalse(Files.readString(file).contains(registry.host()), "the entry is gone");
        HutchProcess.Result denied = fx.hutch(env, "push", registry.host() + "/test/app:1");
        assertEquals(1, denied.code());
        RegistryFixture.assertOneLine(denied.err(), "unauthorized");

        HutchProcess.Result twice = fx.hutch(env, "logout", registry.host());
        assertEquals(0, twice.code());
        assertEquals("Not logged in to " + registry.host() + "\n", twice.out());
    }

    @Test
    @Order(7)
    void aLayerLargerThanAChunkStreamsInOnePatchAndPodmanRunsIt() throws Exception {
        String local = fx.commit("head -c 9000000 /dev/urandom > /stream && sha256sum /stream > /stream.sum", "stream");
        String ref = registry.host() + "/test/stream:1";
        fx.hutchOk("tag", local, ref);
        int before = registry.requests().size();
        HutchProcess.Result r = fx.hutch("push", ref);
        assertEquals(0, r.code(), r.err());
        List<String> sent = registry.requests().subList(before, registry.requests().size());
        // 9 MB of random bytes: more than the 4 MiB chunk, so one streamed PATCH and the closing PUT
        assertEquals(1, count(sent, "PATCH /v2/test/stream/blobs/uploads/"), "one streamed PATCH: " + sent);
        assertEquals(1, count(sent, "PUT /v2/test/stream/manifests/1"));

        podman("pull", "-q", "--cert-dir", registry.certsDir.resolve(registry.host()).toString(),
                "--creds", LocalRegistry.USER + ":" + LocalRegistry.PASSWORD, ref);
        assertEquals("9000000\n", podman("run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                ref, "sh", "-c", "sha256sum -c /stream.sum >/dev/null && wc -c < /stream"), "the file arrived whole");
    }

    private static HutchProcess.Result login(Map<String, String> env, String password) throws IOException {
        Path pw = fx.roots.dir().resolve("password");
        Files.writeString(pw, password + "\n");
        Map<String, String> all = new java.util.HashMap<>(fx.environment());
        all.putAll(env);
        return HutchProcess.run(all, List.of(), pw.toFile(), "login", "-u", LocalRegistry.USER, "--password-stdin", registry.host());
    }

    private static long count(List<String> requests, String prefix) {
        return requests.stream().filter(s -> s.startsWith(prefix)).count();
    }

    /**
     * podman with a store of its own under the test's dir (vfs: no mounts), runc and cgroupfs as this
     * host needs. podman keeps its blob-info cache in /var/lib/containers/cache whatever --root says:
     * where that dir exists, podman runs in a mount namespace of its own with an empty tmpfs there,
     * so the host's cache is neither read nor written.
     */
    static String podman(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (Files.isDirectory(Path.of("/var/lib/containers/cache")))
            cmd.addAll(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs hutch-test /var/lib/containers/cache && exec \"$@\"", "sh"));
        cmd.addAll(List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--storage-driver", "vfs",
                "--events-backend", "none", "--root", podmanDir.resolve("root").toString(), "--runroot", podmanDir.resolve("runroot").toString(),
                "--tmpdir", podmanDir.resolve("tmp").toString()));
        cmd.addAll(List.of(args));
        return LocalRegistry.run(cmd);
    }

}
