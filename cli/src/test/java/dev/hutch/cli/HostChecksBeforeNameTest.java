package dev.hutch.cli;

import dev.hutch.state.Step;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the host refuses (a held port, a missing network, a bind source that cannot exist, a
 * missing device, a container to join that does not run) is refused before the run writes its
 * record or reserves its name. Observed from outside: hutch is started with the test-only hold at
 * the very first journaled step ({@link Step#RECORD}); a run refused there would stop and create
 * the hold file. Here it must exit 125 with one line, never reach the hold, and leave no state
 * dir and no name file.
 */
@RequiresRoot
class HostChecksBeforeNameTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    @Test
    void aHostPortInUseIsRefusedBeforeTheName() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String err = refused("port", "-p", "127.0.0.1:" + held.getLocalPort() + ":80");
            assertTrue(err.contains("host port " + held.getLocalPort() + "/tcp") && err.contains("is in use"), err);
        }
    }

    @Test
    void aNetworkThatDoesNotExistIsRefusedBeforeTheName() throws Exception {
        String err = refused("net", "--network", "nosuch-" + roots.tag());
        assertTrue(err.contains("nosuch-" + roots.tag()), err);
    }

    @Test
    void joiningAContainerThatIsNotThereIsRefusedBeforeTheName() throws Exception {
        String err = refused("join", "--network", "container:nosuch-" + roots.tag());
        assertTrue(err.contains("nosuch-" + roots.tag()), err);
    }

    @Test
    void aBindSourceUnderAFileIsRefusedBeforeTheName() throws Exception {
        Path file = Files.writeString(roots.dir().resolve("plain-file"), "x");
        String err = refused("bind", "--network", "none", "-v", file.resolve("sub") + ":/data");
        assertTrue(err.contains(file + " is not a directory"), err);
    }

    @Test
    void aThrottledDeviceThatDoesNotExistIsRefusedBeforeTheName() throws Exception {
        String err = refused("device", "--network", "none", "--device-read-bps", "/dev/nosuch-" + roots.tag() + ":1mb");
        assertTrue(err.contains("--device-read-bps") && err.contains("does not exist on this host"), err);
    }

    /** Runs {@code hutch run -d --name NAME FLAGS... busybox true}; returns its stderr. */
    private static String refused(String what, String... flags) throws Exception {
        String name = "refused-" + what + "-" + roots.tag();
        Path hold = roots.dir().resolve("hold-" + what);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "-d", "--name", name));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("busybox", "true"));
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("HUTCH_TEST_HOLD_AT", Step.RECORD);
        env.put("HUTCH_TEST_HOLD_FILE", hold.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        reader.start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && !Files.exists(hold) && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertFalse(Files.exists(hold), what + ": the run wrote its record before refusing");
            assertTrue(p.waitFor(1, TimeUnit.SECONDS), what + ": hutch did not finish");
        } finally {
            Files.deleteIfExists(hold); // a held run goes on, and fails or is removed below
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            reader.join();
            if (!roots.leftoverContainers().isEmpty()) HutchProcess.run(roots.environment(), List.of(), "rm", "-f", name);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(125, p.exitValue(), what + ": " + text);
        assertEquals(1, text.strip().lines().count(), what + ": one line: " + text);
        assertEquals(List.of(), roots.leftoverContainers(), what + ": no record");
        assertFalse(Files.exists(roots.config().runRoot().resolve("names").resolve(name)), what + ": no name file");
        return text;
    }
}
