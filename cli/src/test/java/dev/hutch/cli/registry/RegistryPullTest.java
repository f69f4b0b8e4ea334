package dev.hutch.cli.registry;

import dev.hutch.cli.HutchProcess;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.image.Image;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hutch pull against Docker's own registry server on 127.0.0.1 (TLS with the test's CA, htpasswd
 * auth), seeded with skopeo from {@code hutch save} archives and an OCI layout with a two-platform
 * index. Every case looks at the store from outside afterwards: what images and layers exist, what
 * is left under layers/tmp, what the registry's access log says was fetched.
 * Install the peers with scripts/registry-peers.sh.
 */
@RequiresRoot
@RequiresCommand({"docker-registry", "skopeo", "htpasswd", "openssl"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryPullTest {
    static RegistryFixture fx;
    static TestRoots roots;
    static Engine engine;
    static LocalRegistry registry;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new RegistryFixture();
        roots = fx.roots;
        engine = fx.engine;
        registry = fx.registry;
        Path archives = Files.createDirectories(roots.dir().resolve("archives"));

        fx.commit("true", "warmup"); // builds the built-in busybox, which save needs
        fx.hutchOk("rmi", "warmup-" + roots.tag() + ":1");
        // busybox (gzip-compressed by skopeo on the way in)
        fx.hutchOk("save", "-o", archives.resolve("busybox.tar").toString(), "busybox");
        registry.push("docker-archive:" + archives.resolve("busybox.tar"), "test/busybox:1", false);

        // two layers: busybox's and one on top
        fx.commit("echo top-" + roots.tag() + " > /top", "twolayer");
        fx.hutchOk("save", "-o", archives.resolve("twolayer.tar").toString(), "twolayer-" + roots.tag() + ":1");
        registry.push("docker-archive:" + archives.resolve("twolayer.tar"), "test/twolayer:1", false);
        // a layer of its own with zstd compression (an OCI manifest: docker's schema2 has no zstd media type)
        fx.commit("echo zstd-" + roots.tag() + " > /z", "zstd");
        fx.hutchOk("save", "-o", archives.resolve("zstd.tar").toString(), "zstd-" + roots.tag() + ":1");
        registry.push("docker-archive:" + archives.resolve("zstd.tar"), "test/zstd:1", false,
                "--format", "oci", "--dest-compress-format", "zstd");

        // a layer of its own, to be tampered with in the registry's storage
        fx.commit("echo tamper-" + roots.tag() + " > /tampered", "tamper");
        fx.hutchOk("save", "-o", archives.resolve("tamper.tar").toString(), "tamper-" + roots.tag() + ":1");
        registry.push("docker-archive:" + archives.resolve("tamper.tar"), "test/tamper:1", false);

        // 8 MB of random bytes: long enough on the wire to stop the registry in the middle
        fx.commit("head -c 8000000 /dev/urandom > /big", "big");
        fx.hutchOk("save", "-o", archives.resolve("big.tar").toString(), "big-" + roots.tag() + ":1");
        registry.push("docker-archive:" + archives.resolve("big.tar"), "test/big:1", false);

        registry.push("oci:" + MultiPlatformLayout.write(archives.resolve("multi"), archives.resolve("busybox-oci.tar"), args -> fx.hutchOk(args))
                + ":multi", "test/multi:1", true);

        for (String t : List.of("twolayer", "tamper", "big", "zstd")) fx.hutchOk("rmi", t + "-" + roots.tag() + ":1");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (fx != null) fx.close();
    }

    @Test
    @Order(1)
    void runPullsTheImageAndRunsIt() throws Exception {
        String ref = registry.host() + "/test/busybox:1";
        HutchProcess.Result r = fx.hutch("run", "--rm", "--network", "none", ref, "echo", "hi");
        assertEquals(0, r.code(), r.err());
        assertEquals("hi\n", r.out(), "the container's output, and only it, on stdout");
        assertTrue(r.err().contains("Unable to find image '" + ref + "' locally"), r.err());
        assertTrue(r.err().contains("Status: Downloaded newer image for " + ref), r.err());
        assertNotNull(engine.images().find(ref), "stored under its full name");
        assertEquals(Set.of(), fx.tmpLeftovers());

        HutchProcess.Result again = fx.hutch("run", "--rm", "--network", "none", ref, "echo", "again");
        assertEquals("again\n", again.out());
        assertFalse(again.err().contains("Pulling"), "present: no pull: " + again.err());

        String digest = r.err().lines().filter(l -> l.startsWith("Digest: ")).findFirst().orElseThrow().substring(8);
        HutchProcess.Result byDigest = fx.hutch("run", "--rm", "--network", "none", registry.host() + "/test/busybox@" + digest, "echo", "pinned");
        assertEquals(0, byDigest.code(), byDigest.err());
        assertEquals("pinned\n", byDigest.out());
    }

    @Test
    @Order(7)
    void buildPullsTheRecipesBaseImageWhenMissing() throws Exception {
        String base = registry.host() + "/test/busybox:1";
        if (engine.images().find(base) != null) fx.hutchOk("rmi", base);
        Path dir = Files.createDirectories(roots.dir().resolve("recipe"));
        Files.writeString(dir.resolve("recipe.groovy"), "from '" + base + "'\nrun 'echo built-on-pulled > /b'\n");
        String tag = "built-" + roots.tag() + ":1";
        HutchProcess.Result b = fx.hutch("build", "-t", tag, dir.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.err().contains("Unable to find image '" + base + "' locally"), b.err());
        assertNotNull(engine.images().find(base), "the base was pulled and stored under its name");
        HutchProcess.Result r = fx.hutch("run", "--rm", "--network", "none", tag, "cat", "/b");
        assertEquals("built-on-pulled\n", r.out(), r.err());
        fx.hutchOk("rmi", tag);
    }

    @Test
    @Order(6)
    void zstdLayersArePulledAndRun() throws Exception {
        String raw = registry.rawManifest("test/zstd:1");
        assertTrue(raw.contains("application/vnd.oci.image.layer.v1.tar+zstd"), "skopeo stored zstd layers: " + raw);
        String ref = registry.host() + "/test/zstd:1";
        HutchProcess.Result r = fx.hutch("run", "--rm", "--network", "none", ref, "cat", "/z");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Pull complete"), "its own layer was downloaded: " + r.err());
        assertEquals("zstd-" + roots.tag() + "\n", r.out(), "the zstd layer unpacked, its file read in the container");
        assertEquals(Set.of(), fx.tmpLeftovers());
    }

    @Test
    @Order(2)
    void pullPrintsDockersLinesAndSkipsLayersPresentByDiffId() throws Exception {
        String ref = registry.host() + "/test/twolayer:1";
        List<String> blobs = RegistryFixture.layerDigests(registry.rawManifest("test/twolayer:1"));
        assertEquals(2, blobs.size());
        assertNotNull(engine.images().find("busybox"), "busybox's layer is in the store already");
        HutchProcess.Result r = fx.hutch("pull", ref);
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("1: Pulling from 127.0.0.1:" + registry.port + "/test/twolayer", lines[0]);
        assertTrue(r.out().contains(blobs.get(0).substring(7, 19) + ": Already exists"), r.out());
        assertTrue(r.out().contains(blobs.get(1).substring(7, 19) + ": Pull complete"), r.out());
        assertTrue(r.out().contains("\nDigest: sha256:"), r.out());
        assertEquals(ref, lines[lines.length - 1], "the full reference last, as docker");
        assertEquals(0, registry.blobGets(blobs.get(0)), "the bottom layer was not downloaded again");
        assertEquals(1, registry.blobGets(blobs.get(1)), "the top layer was downloaded once");

        Started s = engine.run(ContainerSpec.builder(ref).network("none").command("cat", "/top").build(), true);
        assertEquals(0, engine.waitFor(s.id()));
        engine.remove(s.id(), true, true);

        HutchProcess.Result up = fx.hutch("pull", ref);
        assertTrue(up.out().contains("Status: Image is up to date for " + ref), up.out());
        assertEquals(1, registry.blobGets(blobs.get(1)), "up to date: nothing fetched");
    }

    @Test
    @Order(3)
    void anIndexGivesTheHostsPlatformOrTheOneAskedFor() throws Exception {
        String ref = registry.host() + "/test/multi:1";
        HutchProcess.Result arm = fx.hutch("pull", "--platform", "linux/" + MultiPlatformLayout.other(), ref);
        assertEquals(0, arm.code(), arm.err());
        Image other = engine.images().find(ref);
        assertEquals(MultiPlatformLayout.other(), engine.images().document(other.id()).architecture());

        HutchProcess.Result host = fx.hutch("run", "--rm", "--network", "none", "--pull", "always", ref, "echo", "native");
        assertEquals(0, host.code(), host.err());
        assertEquals("native\n", host.out());
        Image mine = engine.images().find(ref);
        assertEquals(dev.hutch.image.ImageDocument.hostArchitecture(), engine.images().document(mine.id()).architecture());

        HutchProcess.Result none = fx.hutch("pull", "--platform", "linux/s390x", ref);
        assertEquals(1, none.code());
        RegistryFixture.assertOneLine(none.err(), "no matching manifest for linux/s390x");
    }

    @Test
    @Order(4)
    void aTamperedBlobIsRefusedAndNothingStored() throws Exception {
        String ref = registry.host() + "/test/tamper:1";
        String top = RegistryFixture.layerDigests(registry.rawManifest("test/tamper:1")).get(1);
        Path data = registry.blobData(top);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55; // same size, other content
        Files.write(data, bytes);
        Set<String> layersBefore = engine.images().layers().digests();
        HutchProcess.Result r = fx.hutch("pull", ref);
        assertEquals(1, r.code(), "docker pull's exit code");
        RegistryFixture.assertOneLine(r.err(), "digest mismatch: blob " + top);
        assertNull(engine.images().find(ref), "no image");
        assertEquals(layersBefore, engine.images().layers().digests(), "no layer");
        assertEquals(Set.of(), fx.tmpLeftovers());

        HutchProcess.Result run = fx.hutch("run", "--rm", "--network", "none", ref, "true");
        assertEquals(125, run.code(), "run's exit code for a failed pull");
    }

    @Test
    @Order(5)
    void aWrongPasswordAndAnUnknownTagGiveOneLine() throws Exception {
        Path wrong = registry.authFile("wrong.json", "not-the-password", registry.host());
        Set<String> layersBefore = engine.images().layers().digests();
        HutchProcess.Result denied = fx.hutch(Map.of("HUTCH_AUTH_FILE", wrong.toString()), "pull", registry.host() + "/test/tamper:1");
        assertEquals(1, denied.code());
        RegistryFixture.assertOneLine(denied.err(), "unauthorized: " + registry.host());
        assertTrue(denied.err().contains("refused the password of user '" + LocalRegistry.USER + "'"), denied.err());

        HutchProcess.Result none = fx.hutch(Map.of("HUTCH_AUTH_FILE", roots.dir().resolve("absent.json").toString()), "pull", registry.host() + "/test/busybox:1");
        assertEquals(1, none.code());
        RegistryFixture.assertOneLine(none.err(), "unauthorized: ");

        HutchProcess.Result unknown = fx.hutch("pull", registry.host() + "/test/busybox:no-such-tag");
        assertEquals(1, unknown.code());
        RegistryFixture.assertOneLine(unknown.err(), "manifest for " + registry.host() + "/test/busybox:no-such-tag not found: manifest unknown");
        assertEquals(layersBefore, engine.images().layers().digests());
        assertEquals(Set.of(), fx.tmpLeftovers());
    }

    @Test
    @Order(8)
    void aConnectionCutMidBlobIsResumedWithARange() throws Exception {
        try (SlowProxy proxy = new SlowProxy(registry.port, 50_000_000, 3_000_000)) {
            String host = "127.0.0.1:" + proxy.port();
            registry.trustFor(host);
            Path viaProxy = registry.authFile("cut.json", LocalRegistry.PASSWORD, host);
            String ref = host + "/test/big:1";
            HutchProcess.Result r = fx.hutch(Map.of("HUTCH_AUTH_FILE", viaProxy.toString()), "pull", ref);
            assertEquals(1, proxy.cuts(), "the connection was cut once, in the middle of the 8 MB layer");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Status: Downloaded newer image for " + ref), r.out());
            Started s = engine.run(ContainerSpec.builder(ref).network("none").command("sh", "-c", "test $(wc -c < /big) -eq 8000000").build(), true);
            assertEquals(0, engine.waitFor(s.id()), "the layer is whole");
            engine.remove(s.id(), true, true);
            assertEquals(Set.of(), fx.tmpLeftovers());
            assertEquals(0, fx.hutch("rmi", ref).code(), "so that the next test downloads it again");
        }
    }

    @Test
    @Order(9)
    void aRegistryStoppedInTheMiddleOfAPullLeavesNothing() throws Exception {
        try (SlowProxy proxy = new SlowProxy(registry.port, 2_000_000)) {
            String host = "127.0.0.1:" + proxy.port();
            registry.trustFor(host);
            Path viaProxy = registry.authFile("proxy.json", LocalRegistry.PASSWORD, host);
            String ref = host + "/test/big:1";
            Set<String> layersBefore = engine.images().layers().digests();
            Map<String, String> env = new HashMap<>(fx.environment());
            env.put("HUTCH_AUTH_FILE", viaProxy.toString());
            ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), "pull", ref))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(roots.dir().resolve("stop.out").toFile()).redirectError(roots.dir().resolve("stop.err").toFile());
            pb.environment().putAll(env);
            HutchProcess.withServiceEnvironment(pb);
            Process p = pb.start();
            Path partial = waitForPartialBlob(TimeUnit.SECONDS.toNanos(30));
            assertNotNull(partial, "a layer was on its way");
            registry.stop();
            proxy.close();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String err = Files.readString(roots.dir().resolve("stop.err"));
            assertEquals(1, p.exitValue(), err);
            RegistryFixture.assertOneLine(err, "cannot reach the registry " + host);
            assertNull(engine.images().find(ref));
            assertEquals(layersBefore, engine.images().layers().digests(), "no half layer, no layer");
            assertEquals(Set.of(), fx.tmpLeftovers());
        } finally {
            registry.start(); // for any later test
        }
    }

    /** The layer's big file half unpacked in the store's temp dir, as the blob streams. */
    private static Path waitForPartialBlob(long nanos) throws Exception {
        long deadline = System.nanoTime() + nanos;
        Path tmp = roots.config().libRoot().resolve("layers/tmp");
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(tmp)) {
                try (var walk = Files.walk(tmp)) {
                    for (Path f : walk.filter(f -> f.getFileName().toString().equals("big")).toList()) {
                        try {
                            if (Files.size(f) > 1_000_000) return f;
                        } catch (IOException gone) {
                            // finished or removed meanwhile
                        }
                    }
                } catch (IOException | java.io.UncheckedIOException racing) {
                    // a dir vanished while walking
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

}
