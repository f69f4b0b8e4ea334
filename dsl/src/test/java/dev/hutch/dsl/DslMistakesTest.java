package dev.hutch.dsl;

import dev.hutch.dsl.shell.HutchShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Groovy's "no such method/property" in the DSL's own words, and the same words in a script and
 * at the shell's prompt (only the place differs: {@code t.groovy:1} or {@code shell:1}).
 */
class DslMistakesTest {
    @TempDir Path dir;

    /** What a script of this one line reports, without its "t.groovy:1: ". */
    private String inAScript(String line) throws Exception {
        DslTesting.Captured out = new DslTesting.Captured(), err = new DslTesting.Captured();
        Path f = Files.writeString(dir.resolve("t.groovy"), line + "\n");
        assertEquals(1, new ScriptRunner(DslTesting.NO_ENGINE, out.stream, err.stream, false).run(f, List.of()));
        String text = err.text().strip();
        assertEquals("t.groovy:1: ", text.substring(0, 12), text);
        return text.substring(12);
    }

    /** What the shell reports for the line typed at its prompt, without its "shell:1: ". */
    private String atThePrompt(String line) {
        DslTesting.Captured out = new DslTesting.Captured(), err = new DslTesting.Captured();
        HutchShell.plain(DslTesting.NO_ENGINE, new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)),
                out.stream, err.stream, false).run();
        String text = err.text().strip();
        assertEquals("shell:1: ", text.substring(0, 9), text);
        return text.substring(9);
    }

    private void sameBothWays(String line, String expected) throws Exception {
        assertEquals(expected, inAScript(line), "in a script: " + line);
        assertEquals(expected, atThePrompt(line), "at the prompt: " + line);
    }

    @Test
    void anUnknownUnit() throws Exception {
        sameBothWays("memory 64.mx", "mx: not a unit of a number (units: kb, mb, gb, b, ms, millis, second(s), minute(s): 64.mb, 500.ms, 10.seconds)");
        sameBothWays("container('x') { memory 64.mx }", "mx: not a unit of a number (units: kb, mb, gb, b, ms, millis, second(s), minute(s): 64.mb, 500.ms, 10.seconds)");
    }

    @Test
    void aBlockWordAtTheTopLevel() throws Exception {
        sameBothWays("memory 64.mb", "memory: a word of container('NAME') { } blocks, not of the script (write it inside one: container('web') { image 'busybox'; memory ... })");
        sameBothWays("subnet '10.9.0.0/24'", "subnet: a word of network('NAME') { } blocks, not of the script (write it inside one: network('lab') { subnet ... })");
    }

    @Test
    void aMisspeltWord() throws Exception {
        sameBothWays("container('x') { image 'busybox'; memroy 64.mb }", "memroy: container('NAME') { } has no such word (did you mean memory?)");
        sameBothWays("contaner('x') { }", "contaner: no such word in the DSL (did you mean container?) (:doc lists the words)");
        sameBothWays("println websrv", "websrv: no such variable or word (def websrv = ... makes a variable)");
    }

    @Test
    void aWordWithoutItsValue() throws Exception {
        sameBothWays("container('x') { memory }", "memory: needs a value in container('NAME') { } (:doc memory shows how)");
        sameBothWays("container('x') { cpus 'a', 'b' }", "cpus('a', 'b'): not the arguments cpus takes in container('NAME') { } (:doc cpus shows them)");
    }
}
