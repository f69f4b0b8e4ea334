package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code hutch test}: a directory with a passing, a failing and an erroring script and a script
 * of two test blocks, run as a user runs it; the summary, the exit code, the JUnit XML read back
 * with a parser, and nothing left on the host although the failing tests had containers running.
 */
@RequiresRoot
class ScriptSuiteTest {
    static TestRoots roots;
    @TempDir Path dir;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), roots.leftoverContainers(), "containers left by the tests");
        assertEquals(List.of(), roots.leftoverCgroups(), "cgroups left by the tests");
    }

    private HutchProcess.Result hutch(String... args) {
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), args)).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        return HutchProcess.capture(pb, null, "test");
    }

    private void scripts() throws Exception {
        Path s = Files.createDirectories(dir.resolve("suite"));
        Files.writeString(s.resolve("pass.groovy"), """
                def r = container('suite-pass') { image 'busybox'; network 'none'; command 'echo', 'hi' }.run()
                assert r.output == 'hi\\n'
                println 'pass printed this'
                """);
        Files.writeString(s.resolve("fail.groovy"), """
                container('suite-fail') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
                assert 1 + 1 == 3
                """);
        Files.writeString(s.resolve("error.groovy"), """
                container('suite-error') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
                container('suite-error-2') { image 'busybox'; memory '64 megs' }.start()
                """);
        Files.writeString(s.resolve("blocks.groovy"), """
                def word = 'hello'
                test('runs a container') {
                    def box = container('suite-block') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
                    assert box.running
                }
                test('checks a word') {
                    container('suite-block') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
                    assert word == 'bye'
                }
                """);
    }

    @Test
    void aDirectoryOfScriptsIsASuite() throws Exception {
        scripts();
        HutchProcess.Result r = hutch("test", "--parallel", "2", "--junit-xml", "report.xml", "suite");
        assertEquals(1, r.code(), "a failed test: exit 1\n" + r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("PASS +suite/pass\\.groovy +\\d+\\.\\d\\d s")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("FAIL +suite/fail\\.groovy +\\d+\\.\\d\\d s")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("ERROR +suite/error\\.groovy +\\d+\\.\\d\\d s")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("PASS +suite/blocks\\.groovy > runs a container +\\d+\\.\\d\\d s")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("FAIL +suite/blocks\\.groovy > checks a word +\\d+\\.\\d\\d s")), r.out());
        assertTrue(r.out().contains("fail.groovy:2: assert 1 + 1 == 3"), r.out());
        assertTrue(r.out().contains("error.groovy:2: memory: \"64 megs\" is not a size"), r.out());
        assertTrue(r.out().contains("blocks.groovy:8: assert word == 'bye'"), r.out());
        assertTrue(lines.get(lines.size() - 1).matches("5 tests: 2 passed, 2 failed, 1 errored in \\d+\\.\\d\\d s"), r.out());

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("report.xml").toFile());
        Element root = xml.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals(List.of("5", "2", "1"), List.of(root.getAttribute("tests"), root.getAttribute("failures"), root.getAttribute("errors")));
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(4, suites.getLength(), "one testsuite per script");
        Map<String, Element> cases = new HashMap<>();
        NodeList tc = root.getElementsByTagName("testcase");
        for (int i = 0; i < tc.getLength(); i++) {
            Element e = (Element) tc.item(i);
            assertTrue(Double.parseDouble(e.getAttribute("time")) > 0, "a time in seconds: " + e.getAttribute("time"));
            cases.put(e.getAttribute("classname") + "#" + e.getAttribute("name"), e);
        }
        assertEquals(5, cases.size(), cases.keySet().toString());
        assertEquals(0, cases.get("suite.pass#pass.groovy").getElementsByTagName("failure").getLength());
        assertEquals("pass printed this\n", cases.get("suite.pass#pass.groovy").getElementsByTagName("system-out").item(0).getTextContent());
        Element failure = (Element) cases.get("suite.fail#fail.groovy").getElementsByTagName("failure").item(0);
        assertEquals("fail.groovy:2: assert 1 + 1 == 3", failure.getAttribute("message"));
        Element error = (Element) cases.get("suite.error#error.groovy").getElementsByTagName("error").item(0);
        assertTrue(error.getAttribute("message").contains("is not a size"), error.getAttribute("message"));
        assertEquals(0, cases.get("suite.blocks#runs a container").getElementsByTagName("failure").getLength());
        assertEquals(1, cases.get("suite.blocks#checks a word").getElementsByTagName("failure").getLength());
        for (String n : suiteScripts()) assertTrue(Double.parseDouble(suiteTime(suites, "suite/" + n)) > 0, n);
    }

    private static List<String> suiteScripts() { return List.of("pass.groovy", "fail.groovy", "error.groovy", "blocks.groovy"); }

    private static String suiteTime(NodeList suites, String name) {
        for (int i = 0; i < suites.getLength(); i++) {
            Element e = (Element) suites.item(i);
            if (e.getAttribute("name").equals(name)) return e.getAttribute("time");
        }
        throw new AssertionError("no testsuite " + name);
    }

    @Test
    void allPassingExitsZero() throws Exception {
        scripts();
        HutchProcess.Result r = hutch("test", "suite/pass.groovy", "suite/blocks.groovy");
        assertEquals(1, r.code(), r.out());
        Files.delete(dir.resolve("suite/blocks.groovy"));
        Files.writeString(dir.resolve("suite/blocks.groovy"), "test('one') { assert 1 == 1 }\ntest('two') { assert 2 == 2 }\n");
        r = hutch("test", "suite/pass.groovy", "suite/blocks.groovy");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().strip().endsWith("s") && r.out().contains("3 tests: 3 passed, 0 failed, 0 errored in "), r.out());
    }

    @Test
    void badInputIs125WithOneLine() throws Exception {
        HutchProcess.Result missing = hutch("test", "no-such-dir");
        assertEquals(125, missing.code(), missing.err());
        assertTrue(missing.err().contains("no such script or directory: no-such-dir"), missing.err());
        Files.createDirectories(dir.resolve("empty"));
        HutchProcess.Result empty = hutch("test", "empty");
        assertEquals(125, empty.code(), empty.err());
        assertTrue(empty.err().contains("no .groovy scripts under empty"), empty.err());
        scripts();
        HutchProcess.Result zero = hutch("test", "--parallel", "0", "suite");
        assertEquals(125, zero.code(), zero.err());
        assertTrue(zero.err().contains("--parallel"), zero.err());
        assertEquals("", zero.out(), "nothing ran");
    }
}
