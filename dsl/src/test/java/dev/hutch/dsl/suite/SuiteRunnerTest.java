package dev.hutch.dsl.suite;

import dev.hutch.dsl.suite.TestOutcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** hutch test's discovery, verdicts and report on scripts that need no engine. */
class SuiteRunnerTest {
    @TempDir Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private List<TestOutcome> run(int parallel, String... names) throws Exception {
        List<Path> paths = java.util.Arrays.stream(names).map(dir::resolve).toList();
        List<TestDiscovery.Unit> units = TestDiscovery.units(paths, List.of(names));
        return new SuiteRunner(() -> { throw new AssertionError("no engine in this test"); },
                new PrintStream(printed, true, StandardCharsets.UTF_8), false).run(units, parallel);
    }

    private void write(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void assertsAndFailAreFailuresOtherExceptionsErrors() throws Exception {
        write("t/a-pass.groovy", "assert 1 + 1 == 2\nprintln 'ok'\n");
        write("t/b-assert.groovy", "assert 'a' == 'b'\n");
        write("t/c-fail.groovy", "fail 'the port never answered'\n");
        write("t/d-exit.groovy", "exit 3\n");
        write("t/e-throw.groovy", "throw new IllegalStateException('boom')\n");
        write("t/f-syntax.groovy", "def x = {\n");
        write("t/g-exit0.groovy", "exit 0\n");
        List<TestOutcome> o = run(3, "t");
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.FAILED, Status.FAILED, Status.ERRORED, Status.ERRORED, Status.PASSED),
                o.stream().map(TestOutcome::status).toList(), printed.toString());
        assertEquals("c-fail.groovy:1: the port never answered", o.get(2).message());
        assertEquals("e-throw.groovy:1: IllegalStateException: boom", o.get(4).message());
        assertEquals("ok\n", o.get(0).output());
        assertEquals("t/a-pass.groovy", o.get(0).file());
        assertEquals(1, SuiteRunner.exitCode(o));
        assertEquals("7 tests: 2 passed, 3 failed, 2 errored in 1.50 s", SuiteRunner.summary(o, Duration.ofMillis(1500)));
    }

    @Test
    void eachBlockIsAFreshRunOfItsScript() throws Exception {
        // the counter starts at 0 for every block: the top level is each block's set-up
        write("blocks.groovy", """
                counter = 0
                test('first') { counter++; assert counter == 1 }
                test('second') { counter++; assert counter == 1 }
                test('third') { assert counter == 5 }
                """);
        List<TestOutcome> o = run(1, "blocks.groovy");
        assertEquals(List.of("first", "second", "third"), o.stream().map(TestOutcome::name).toList());
        assertEquals(List.of(Status.PASSED, Status.PASSED, Status.FAILED), o.stream().map(TestOutcome::status).toList());
        assertTrue(o.get(2).message().startsWith("blocks.groovy:4: assert counter == 5"), o.get(2).message());
    }

    @Test
    void blocksWithComputedNamesRunAsTheScriptReachesThem() throws Exception {
        write("loop.groovy", "[1, 2].each { n -> test(\"case $n\") { assert n == 1 } }\n");
        List<TestOutcome> o = run(1, "loop.groovy");
        assertEquals(List.of("case 1", "case 2"), o.stream().map(TestOutcome::name).toList());
        assertEquals(List.of(Status.PASSED, Status.FAILED), o.stream().map(TestOutcome::status).toList());
    }

    @Test
    void aBlockBehindAnIfThatIsNotTakenIsAnError() throws Exception {
        write("never.groovy", "if (false) {\n}\ntest('x') { }\nthrow new RuntimeException('set-up broke')\n");
        List<TestOutcome> o = run(1, "never.groovy");
        assertEquals(Status.ERRORED, o.get(0).status(), "the set-up around the block failed");
        assertTrue(o.get(0).message().contains("set-up broke"), o.get(0).message());
    }

    @Test
    void theReportIsJUnitXml() throws Exception {
        List<TestOutcome> o = List.of(
                new TestOutcome("t/web.groovy", "web.groovy", Status.PASSED, Duration.ofMillis(1234), "", "hello <world>\n"),
                new TestOutcome("t/web.groovy", "x", Status.FAILED, Duration.ofMillis(5), "web.groovy:3: assert a == \"b\"", ""),
                new TestOutcome("db.groovy", "db.groovy", Status.ERRORED, Duration.ofMillis(7), "db.groovy:1: boom & more", ""));
        Path xml = dir.resolve("r.xml");
        JUnitXml.write(xml, o, Duration.ofSeconds(2), Instant.parse("2026-01-02T03:04:05Z"));
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
        assertEquals("3", root.getAttribute("tests"));
        Element web = (Element) root.getElementsByTagName("testsuite").item(0);
        assertEquals(List.of("t/web.groovy", "2", "1", "0", "1.239", "2026-01-02T03:04:05"), List.of(web.getAttribute("name"),
                web.getAttribute("tests"), web.getAttribute("failures"), web.getAttribute("errors"), web.getAttribute("time"), web.getAttribute("timestamp")));
        Element first = (Element) web.getElementsByTagName("testcase").item(0);
        assertEquals(List.of("web.groovy", "t.web", "1.234"), List.of(first.getAttribute("name"), first.getAttribute("classname"), first.getAttribute("time")));
        assertEquals("hello <world>\n", first.getElementsByTagName("system-out").item(0).getTextContent());
        Element error = (Element) root.getElementsByTagName("error").item(0);
        assertEquals("db.groovy:1: boom & more", error.getAttribute("message"));
        assertFalse(Files.exists(dir.resolve("r.xml.tmp")), "written through a temp file, renamed");
    }
}
