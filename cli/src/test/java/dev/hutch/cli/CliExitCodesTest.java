package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CLI as a user runs it, in a separate process: what it prints and the exit code docker would
 * give (the command's own code, 125 for hutch's failures, 126/127 for a command that cannot run).
 */
@RequiresRoot
class CliExitCodesTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    static Result hutch(String... args) {
        return HutchProcess.run(roots.environment(), List.of(), args);
    }

    @Test
    void aForegroundRunPrintsTheOutputAndReturnsTheCommandsCode() throws Exception {
        Result r = hutch("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo hello; echo oops >&2; exit 3");
        assertEquals(3, r.code(), r.err());
        assertEquals("hello\n", r.out());
        assertTrue(r.err().contains("oops"), r.err());
        assertEquals(List.of(), roots.leftoverContainers(), "--rm removed it");
    }

    @Test
    void badInputIs125WithAOneLineMessage() throws Exception {
        Result r = hutch("run", "--rm", "-m", "12xb", "busybox", "true");
        assertEquals(125, r.code());
        assertEquals("hutch: --memory: \"12xb\" is not a size (try 64m, 1g)\n", r.err());
        Result flag = hutch("run", "--no-such-flag", "busybox");
        assertEquals(125, flag.code());
        assertTrue(flag.err().contains("unknown flag: --no-such-flag"), flag.err());
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void commandNotFoundIs127AndNotExecutableIs126() throws Exception {
        assertEquals(127, hutch("run", "--rm", "--network", "none", "busybox", "nosuchcmd").code());
        assertEquals(126, hutch("run", "--rm", "--network", "none", "busybox", "/etc").code());
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aKilledContainerIs128PlusTheSignal() throws Exception {
        Result started = hutch("run", "-d", "--network", "none", "--name", "k-" + roots.tag(), "busybox", "sleep", "100");
        assertEquals(0, started.code(), started.err());
        assertEquals(64, started.out().trim().length(), "run -d prints the full id: " + started.out());
        assertEquals(0, hutch("kill", "k-" + roots.tag()).code());
        Result code = hutch("wait", "k-" + roots.tag());
        assertEquals("137", code.out().trim());
        Result ps = hutch("ps", "-a", "--format", "{{.Names}} {{.State}}");
        assertTrue(ps.out().contains("k-" + roots.tag() + " exited"), ps.out());
        assertEquals(0, hutch("rm", "k-" + roots.tag()).code());
    }
}
