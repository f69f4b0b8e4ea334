package dev.hutch.dsl;

import dev.hutch.dsl.shell.HutchShell;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell in its piped (dumb) mode, without an engine. */
class ShellTest {
    private final DslTesting.Captured out = new DslTesting.Captured();
    private final DslTesting.Captured err = new DslTesting.Captured();

    private int shell(String input) {
        return HutchShell.plain(DslTesting.NO_ENGINE, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                out.stream, err.stream, false).run();
    }

    @Test
    void evaluatesLinesAndKeepsVariables() {
        assertEquals(0, shell("1 + 1\ndef x = 21\nx * 2\nprintln 64.mb\n"));
        assertEquals("2\n21\n42\n67108864\n", out.text());
    }

    @Test
    void aBlockContinuesUntilItsBracesBalance() {
        shell("def f = { a ->\n  a * 3\n}\nf(5)\n");
        assertTrue(out.text().endsWith("15\n"), out.text());
    }

    @Test
    void errorsAreReportedAndTheShellGoesOn() {
        assertEquals(0, shell("container('x') { memory 'lots' }\n'still here'\n"));
        assertTrue(err.text().contains("memory: \"lots\" is not a size"), err.text());
        assertTrue(out.text().contains("still here"), out.text());
    }

    @Test
    void incompleteInputContinuesAsAtATerminal() {
        assertEquals(0, shell("1 +\n2\ndef x =\n  5\nx * 2\n'''a\nb'''.readLines().size()\nif (x > 3)\n  'big'\n"));
        assertEquals("3\n5\n10\n2\nbig\n", out.text());
        assertEquals("", err.text());
    }

    @Test
    void anErrorBeforeTheEndIsReportedAtOnce() {
        assertEquals(0, shell("1 + + * 2 3\n}\n'next'\n"));
        assertTrue(out.text().endsWith("next\n"), out.text());
        assertEquals(2, err.text().lines().filter(l -> l.startsWith("shell:1")).count(), err.text());
    }

    @Test
    void anUnfinishedSnippetAtTheEndOfInputIsReported() {
        assertEquals(0, shell("'done'\n1 +\n"));
        assertEquals("done\n", out.text());
        assertTrue(err.text().startsWith("shell:"), err.text());
    }

    @Test
    void exitEndsWithItsCode() {
        assertEquals(7, shell("exit 7\n'not reached'\n"));
        assertEquals("", out.text());
    }
}
