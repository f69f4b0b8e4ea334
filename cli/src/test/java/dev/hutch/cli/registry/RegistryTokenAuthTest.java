package dev.hutch.cli.registry;

import dev.hutch.cli.HutchProcess;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bearer-token flow end to end, as Docker Hub, ghcr.io and most registries use it: Docker's
 * registry server in token mode, trusting only JWTs from a {@link TokenServer} (the test's), which
 * takes the user's password. hutch meets the registry's {@code WWW-Authenticate: Bearer} challenge,
 * asks the token server for the scope it needs with its stored credentials, and pulls, runs and
 * pushes with the token. What hutch asked for is judged from the token server's record of grants.
 */
@RequiresRoot
@RequiresCommand({"docker-registry", "skopeo", "htpasswd", "openssl"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryTokenAuthTest {
    static RegistryFixture fx;
    static LocalRegistry registry;
    static TokenServer tokens;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new RegistryFixture(true);
        registry = fx.registry;
        tokens = fx.tokens;
        Path archives = Files.createDirectories(fx.roots.dir().resolve("archives"));
        fx.commit("true", "warmup"); // builds the built-in busybox, which save needs
        fx.hutchOk("rmi", "warmup-" + fx.roots.tag() + ":1");
        fx.hutchOk("save", "-o", archives.resolve("busybox.tar").toString(), "busybox");
        registry.push("docker-archive:" + archives.resolve("busybox.tar"), "test/busybox:1", false); // skopeo, through the same token server
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (fx != null) fx.close();
    }

    @Test
    @Order(1)
    void runPullsWithABearerTokenForThePullScope() {
        int before = tokens.grants().size();
        String ref = registry.host() + "/test/busybox:1";
        HutchProcess.Result r = fx.hutch("run", "--rm", "--network", "none", ref, "echo", "token-hi");
        assertEquals(0, r.code(), r.err());
        assertEquals("token-hi\n", r.out());
        assertTrue(tokens.grants().subList(before, tokens.grants().size()).contains(LocalRegistry.USER + " repository:test/busybox:pull"),
                "hutch asked for the pull scope with the user's credentials: " + tokens.grants());
    }

    @Test
    @Order(2)
    void pushAsksForPullAndPushAndTheImageComesBack() throws Exception {
        String local = fx.commit("echo pushed-with-a-token > /t", "tok");
        String ref = registry.host() + "/team/tok:1";
        fx.hutchOk("tag", local, ref);
        int before = tokens.grants().size();
        HutchProcess.Result push = fx.hutch("push", ref);
        assertEquals(0, push.code(), push.err());
        assertTrue(tokens.grants().subList(before, tokens.grants().size()).contains(LocalRegistry.USER + " repository:team/tok:pull,push"),
                "the push scope: " + tokens.grants());
        assertTrue(registry.rawManifest("team/tok:1").contains("application/vnd.docker.distribution.manifest.v2+json"),
                "the registry holds the manifest (read back by skopeo with its own token)");

        fx.hutchOk("rmi", ref, local);
        HutchProcess.Result again = fx.hutch("run", "--rm", "--network", "none", ref, "cat", "/t");
        assertEquals(0, again.code(), again.err());
        assertEquals("pushed-with-a-token\n", again.out(), "pulled back from the registry with a token and run");
    }

    @Test
    @Order(3)
    void aWrongPasswordIsRefusedByTheTokenServerInOneLineAndStoresNothing() throws Exception {
        Path wrong = registry.authFile("wrong.json", "not-the-password", registry.host());
        Set<String> layersBefore = fx.engine.images().layers().digests();
        int refusedBefore = tokens.refusals();
        HutchProcess.Result denied = fx.hutch(Map.of("HUTCH_AUTH_FILE", wrong.toString()), "pull", registry.host() + "/test/busybox:1");
        assertEquals(1, denied.code(), denied.err());
        RegistryFixture.assertOneLine(denied.err(), "unauthorized: " + registry.host());
        assertTrue(tokens.refusals() > refusedBefore, "the token server refused the password");
        assertEquals(layersBefore, fx.engine.images().layers().digests());
        assertEquals(Set.of(), fx.tmpLeftovers());
    }
}
