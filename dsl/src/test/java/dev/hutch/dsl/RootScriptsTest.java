package dev.hutch.dsl;

import dev.hutch.dsl.shell.HutchShell;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Engines;
import dev.hutch.rootfs.BusyboxImage;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real containers from scripts and the shell, on private engine roots. After each test nothing the
 * script made may be left: no container state dir, no user network.
 */
@RequiresRoot
class RootScriptsTest {
    /** The example of issue 6, word for word; only the host path of the site is the test's own. */
    static final String ISSUE_EXAMPLE = """
            def net = network('lab') { subnet '10.123.0.0/24' }
            def web = container('web') {
                image 'busybox'
                cpus 0.5
                memory 64.mb
                pids 100
                env GREETING: 'hello'
                volume '/srv/site', '/www', readOnly: true
                port 8080, 80
                network net
                command 'httpd', '-f', '-p', '80', '-h', '/www'
            }
            web.start()
            web.waitFor port: 80, timeout: 10.seconds
            assert web.exec('cat', '/etc/hostname').output.trim() == 'web'
            println web.stats()
            println web.logs()
            """;

    static TestRoots roots;
    static Engine engine;
    static Path site;

    private final DslTesting.Captured out = new DslTesting.Captured();
    private final DslTesting.Captured err = new DslTesting.Captured();

    @BeforeAll
    static void setUp() throws IOException {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config(), new BusyboxImage());
        site = Files.createDirectories(roots.dir().resolve("srv/site"));
        Files.writeString(site.resolve("index.html"), "<h1>lab</h1>\n");
    }

    @AfterAll
    static void tearDown() {
        if (roots != null) roots.close();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        assertEquals(List.of(), roots.leftoverContainers(), "containers left by the script");
        Path nets = roots.config().networksDir();
        if (Files.isDirectory(nets)) {
            try (Stream<Path> s = Files.list(nets)) {
                List<String> user = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals("bridge")).toList();
                assertEquals(List.of(), user, "networks left by the script");
            }
        }
    }

    private int script(String name, String text) throws IOException {
        Path f = roots.dir().resolve(name);
        Files.writeString(f, text);
        return new ScriptRunner(() -> engine, out.stream, err.stream, true).run(f, List.of());
    }

    @Test
    void theIssueExampleRunsUnchanged() throws IOException {
        String text = ISSUE_EXAMPLE.replace("'/srv/site'", "'" + site + "'")
                // after the example: the published port answers on the host's loopback
                + "assert new URL('http://127.0.0.1:8080/index.html').text == '<h1>lab</h1>\\n'\n"
                + "assert web.ip.startsWith('10.123.0.')\n";
        int code = script("web.groovy", text);
        assertEquals(0, code, err.text());
        assertTrue(out.text().startsWith("web: cpu "), out.text());
        assertTrue(out.text().contains("/ 64MiB") && out.text().contains("/ 100"), out.text());
    }

    @Test
    void aFailingScriptReportsItsLineAndLeavesNothing() throws IOException {
        int code = script("broken.groovy", """
                def a = container('first') { image 'busybox'; network 'none'; command 'sleep', '600' }
                a.start()
                assert a.running
                def b = container('second') {
                    image 'busybox'
                    memory '64 megs'
                }
                """);
        assertEquals(125, code);
        assertEquals("broken.groovy:6: memory: \"64 megs\" is not a size (try 64m, 1g)", err.text().lines().findFirst().orElse(""));
    }

    @Test
    void exitAfterStartingStillCleansUp() throws IOException {
        int code = script("early.groovy", """
                container('early') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
                exit 3
                """);
        assertEquals(3, code, err.text());
    }

    @Test
    void keptContainersStay() throws IOException {
        int code = script("keep.groovy", "container('kept') { image 'busybox'; network 'none'; command 'sleep', '600' }.start().keep()\n");
        assertEquals(0, code, err.text());
        try {
            assertTrue(engine.isRunning("kept"));
        } finally {
            engine.remove("kept", true, true);
        }
    }

    @Test
    void theShellThroughAPipeStartsListsAndRemovesAContainer() {
        String input = """
                def box = container('shellbox') { image 'busybox'; network 'none'; command 'sleep', '600' }
                box.start()
                println "--- ps 1"
                ps()
                println run('busybox', 'echo', 'hi').output.trim()
                logs 'shellbox'
                rm 'shellbox'
                println "--- ps 2"
                ps()
                """;
        int code = HutchShell.plain(() -> engine, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                out.stream, err.stream, true).run();
        assertEquals(0, code, err.text());
        String text = out.text();
        String first = text.substring(text.indexOf("--- ps 1"), text.indexOf("--- ps 2"));
        String second = text.substring(text.indexOf("--- ps 2"));
        assertTrue(first.contains("shellbox") && first.contains("running"), text);
        assertTrue(first.contains("\nhi\n"), text);
        assertFalse(second.contains("shellbox"), text);
        assertEquals("", err.text());
    }
}
