package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shell's : commands with real containers, through piped input (the same loop as at a
 * terminal): :vars shows a handle's container state, :save writes a script that hutch script
 * runs with the same output, :load brings a script's variables in, :reset removes what the
 * session started.
 */
@RequiresRoot
class ShellCommandsTest {
    static TestRoots roots;
    @TempDir Path dir;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), roots.leftoverContainers(), "containers left by the session");
    }

    private HutchProcess.Result hutch(String stdin, String... args) {
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), args)).directory(dir.toFile());
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        return HutchProcess.capture(pb, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), args[0]);
    }

    static final String SESSION = """
            def web = container('cmd-web') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
            def r = container('cmd-run') {
                image 'busybox'
                network 'none'
                command 'sh', '-c', 'echo hi; exit 3'
            }.run()
            r.exitCode + 1
            def words = ['a', 'b']
            println words.join('-')
            web.exec('hostname').output.trim()
            """;

    @Test
    void savedSessionRunsAsAScriptWithTheSameOutput() throws Exception {
        HutchProcess.Result shell = hutch(SESSION + "'---'\n:vars\n:save saved.groovy\n", "shell");
        assertEquals(0, shell.code(), shell.err());
        String sessionOut = shell.out().substring(0, shell.out().indexOf("---\n") + 4);
        assertEquals("cmd-web\nhi\n\n4\n[a, b]\na-b\ncmd-web\n---\n", sessionOut);
        assertTrue(shell.out().lines().anyMatch(l -> l.matches("web +container +cmd-web: running, id [0-9a-f]{12}")), shell.out());
        assertTrue(shell.out().lines().anyMatch(l -> l.matches("r +Outcome +hi ?")), shell.out());
        Path saved = dir.resolve("saved.groovy");
        assertTrue(Files.isRegularFile(saved), shell.out());

        HutchProcess.Result script = hutch(null, "script", "saved.groovy");
        assertEquals(0, script.code(), script.err() + "\n" + Files.readString(saved));
        assertEquals(sessionOut, script.out(), "the saved script prints what the session showed:\n" + Files.readString(saved));
    }

    @Test
    void loadBringsAScriptsVariablesIn() throws Exception {
        Files.writeString(dir.resolve("setup.groovy"), """
                def box = container('cmd-load') { image 'busybox'; network 'none'; command 'sleep', '600' }
                box.start()
                def greeting = 'hello from setup'
                greeting.size()
                """);
        HutchProcess.Result shell = hutch(":load setup.groovy\ngreeting\nbox.running\n:list\n", "shell");
        assertEquals(0, shell.code(), shell.err());
        List<String> lines = shell.out().lines().toList();
        assertEquals("hello from setup", lines.get(0), "nothing echoed while loading: " + shell.out());
        assertEquals("true", lines.get(1), shell.out());
        assertTrue(shell.out().contains("   2: box.start()"), shell.out());
    }

    @Test
    void resetRemovesWhatTheSessionStarted() {
        HutchProcess.Result shell = hutch("""
                def box = container('cmd-reset') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()
                ps().size()
                :reset
                ps().size()
                :vars
                :list
                """, "shell");
        assertEquals(0, shell.code(), shell.err());
        List<String> lines = shell.out().lines().toList();
        assertEquals("cmd-reset", lines.get(0));
        assertEquals("1", lines.get(1), shell.out());
        assertTrue(lines.get(2).startsWith("reset:"), shell.out());
        assertEquals("0", lines.get(3), "the container is gone after :reset: " + shell.out());
        assertTrue(lines.get(4).startsWith("no variables yet"), shell.out());
        assertEquals("   1: ps().size()", lines.get(5), "only what came after :reset: " + shell.out());
    }
}
