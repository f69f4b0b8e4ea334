package dev.hutch.cli.registry;

import dev.hutch.cli.Engines;
import dev.hutch.cli.HutchProcess;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.TestRoots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the registry tests share: hutch's own roots and engine, Docker's registry server
 * ({@link LocalRegistry}, TLS and htpasswd) with a 0600 credentials file for it, and hutch run as a
 * separate process with that trust and those credentials (never the host's ~/.docker). Closing it
 * stops the registry and removes every container and root it made.
 */
final class RegistryFixture implements AutoCloseable {
    final TestRoots roots;
    final Engine engine;
    final LocalRegistry registry;
    final Path auth;
    /** The bearer-token server the registry trusts, or null for htpasswd (basic) auth. */
    final TokenServer tokens;

    RegistryFixture() throws Exception { this(false); }

    /** @param tokenAuth the registry in token mode, with a {@link TokenServer} of its own */
    RegistryFixture(boolean tokenAuth) throws Exception {
        TestRoots r = new TestRoots();
        TokenServer t = null;
        try {
            roots = r;
            engine = Engines.forHost(roots.config());
            t = tokenAuth ? new TokenServer(roots.dir().resolve("tokens")) : null;
            tokens = t;
            registry = new LocalRegistry(roots.dir().resolve("registry"), t);
            auth = registry.authFile("auth.json", LocalRegistry.PASSWORD, registry.host());
        } catch (Exception | Error e) {
            if (t != null) t.close();
            r.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            registry.close();
            if (tokens != null) tokens.close();
        } finally {
            try {
                for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
            } finally {
                roots.close();
            }
        }
    }

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(roots.environment());
        env.put("HUTCH_CERTS_DIR", registry.certsDir.toString());
        env.put("HUTCH_AUTH_FILE", auth.toString());
        env.put("DOCKER_CONFIG", roots.dir().resolve("no-docker-config").toString()); // never the host's ~/.docker
        return env;
    }

    HutchProcess.Result hutch(String... args) { return hutch(Map.of(), args); }

    HutchProcess.Result hutch(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(extra);
        return HutchProcess.run(env, List.of(), args);
    }

    void hutchOk(String... args) {
        HutchProcess.Result r = HutchProcess.run(roots.environment(), List.of(), args);
        if (r.code() != 0) throw new AssertionError("hutch " + String.join(" ", args) + ": " + r.err());
    }

    /** A container on busybox that runs {@code script}, committed as NAME-TAG:1 and removed; returns that name. */
    String commit(String script, String name) {
        Started s = engine.run(ContainerSpec.builder("busybox").network("none").command("sh", "-c", script).build(), true);
        try {
            assertEquals(0, engine.waitFor(s.id()));
            String image = name + "-" + roots.tag() + ":1";
            hutchOk("commit", s.id(), image);
            return image;
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    /** Anything a pull leaves under layers/tmp (its own dir, or a layer's unpack in progress). */
    Set<String> tmpLeftovers() throws IOException {
        Path tmp = roots.config().libRoot().resolve("layers/tmp");
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(tmp)) return out;
        try (var list = Files.list(tmp)) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hutch-pull-") || n.startsWith("hutch-import-")).forEach(out::add);
        }
        return out;
    }

    static void assertOneLine(String err, String expected) {
        String trimmed = err.strip();
        assertFalse(trimmed.contains("\n"), "one line: " + err);
        assertTrue(trimmed.contains(expected), "expected \"" + expected + "\" in: " + err);
        assertFalse(trimmed.contains("Exception"), "no stack trace: " + err);
    }

    static String sha256(byte[] b) {
        return "sha256:" + dev.hutch.util.Sha256.hex(b);
    }

    static List<String> layerDigests(String manifest) {
        List<String> out = new ArrayList<>();
        for (Object l : JsonReader.of(Json.parseObject(manifest)).list("layers")) out.add(JsonReader.of(l).string("digest"));
        return out;
    }
}
