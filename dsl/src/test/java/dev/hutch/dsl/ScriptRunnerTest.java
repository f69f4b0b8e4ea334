package dev.hutch.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner without an engine: arguments, exit codes, and mistakes reported at the script's line. */
class ScriptRunnerTest {
    @TempDir
    Path dir;

    private final DslTesting.Captured out = new DslTesting.Captured();
    private final DslTesting.Captured err = new DslTesting.Captured();

    private int run(String name, String text, String... args) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return new ScriptRunner(DslTesting.NO_ENGINE, out.stream, err.stream, false).run(f, List.of(args));
    }

    @Test
    void aBadSizeIsReportedWithFileLineAndField() throws IOException {
        int code = run("web.groovy", """
                def web = container('web') {
                    image 'busybox'
                    cpus 0.5
                    memory '64 megs'
                }
                web.start()
                """);
        assertEquals(125, code);
        assertEquals("web.groovy:4: memory: \"64 megs\" is not a size (try 64m, 1g)", err.text().trim());
    }

    @Test
    void aSpecCheckedAtTheEndIsReportedAtTheLineThatSetTheField() throws IOException {
        int code = run("web.groovy", """
                def web = container('web') {
                    image 'busybox'
                    pids(-5)
                }
                """);
        assertEquals(125, code);
        assertTrue(err.text().startsWith("web.groovy:3: pids: \"-5\" must be positive"), err.text());
    }

    @Test
    void argsAndExitCode() throws IOException {
        int code = run("greet.groovy", """
                #!/usr/bin/env hutch
                println "hello ${args[0]} and ${args[1]}"
                exit args.length + 1
                """, "one", "two");
        assertEquals(3, code, err.text());
        assertEquals("hello one and two", out.text().trim());
    }

    @Test
    void exitIsNotSwallowedByCatchException() throws IOException {
        int code = run("x.groovy", """
                try { exit 4 } catch (Exception e) { println 'caught' }
                """);
        assertEquals(4, code);
        assertEquals("", out.text());
    }

    @Test
    void aFailedAssertIsExitOneAtItsLine() throws IOException {
        int code = run("a.groovy", "def x = 1\n\nassert x == 2\n");
        assertEquals(1, code);
        assertTrue(err.text().startsWith("a.groovy:3: assert x == 2"), err.text());
    }

    @Test
    void aCompileErrorNamesFileLineAndColumn() throws IOException {
        int code = run("bad.groovy", "println 'ok'\ncontainer('x') {\n");
        assertEquals(125, code);
        assertTrue(err.text().startsWith("bad.groovy:"), err.text());
    }

    @Test
    void aFailedAssertsPictureStaysUnderItsValues() throws IOException {
        assertEquals(1, run("check.groovy", "def answer = 41\nassert answer + 1 == 43\n"));
        List<String> lines = err.text().lines().toList();
        assertEquals("check.groovy:2: assert answer + 1 == 43", lines.get(0));
        assertEquals(lines.get(0).indexOf("answer"), lines.get(1).indexOf('|'), err.text());
        assertEquals(lines.get(0).indexOf("+ 1"), lines.get(1).indexOf('|', lines.get(1).indexOf('|') + 1), err.text());
        assertEquals(lines.get(0).indexOf("answer"), lines.get(2).indexOf("41"), err.text());
    }

    @Test
    void anUnknownWordNamesItsLine() throws IOException {
        int code = run("typo.groovy", "def web = container('web') {\n  image 'busybox'\n  memroy 64.mb\n}\n");
        assertEquals(1, code);
        assertEquals("typo.groovy:3: memroy: container('NAME') { } has no such word (did you mean memory?)", err.text().strip());
    }

    @Test
    void aMissingFileIsAHutchError() {
        dev.hutch.HutchException e = org.junit.jupiter.api.Assertions.assertThrows(dev.hutch.HutchException.class,
                () -> new ScriptRunner(DslTesting.NO_ENGINE, out.stream, err.stream, false).run(dir.resolve("nope.groovy"), List.of()));
        assertTrue(e.getMessage().contains("nope.groovy"));
    }
}
