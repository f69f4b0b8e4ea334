package dev.hutch.cli;

import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code run -it} as a person at a terminal gets it: util-linux's {@code script} gives hutch a
 * real terminal, and bytes written to script's stdin are what the person types. Runs in-process
 * and, in the cli module's second surefire run, through the client and the engine service, where
 * the terminal reaches the container as a descriptor passed over the service's socket.
 */
@RequiresRoot
@RequiresCommand("script")
class TtyTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    /** Runs hutch inside `script`, typing {@code keys} after {@code delayMs}; returns exit code and output. */
    static String[] atATerminal(String keys, long delayMs, String... hutchArgs) throws Exception {
        return atATerminal("", keys, delayMs, hutchArgs);
    }

    /** The same, with shell commands run on the terminal first ({@code shellBefore}, ending in ";" or "&"). */
    static String[] atATerminal(String shellBefore, String keys, long delayMs, String... hutchArgs) throws Exception {
        List<String> hutch = HutchProcess.command(List.of(), hutchArgs);
        String command = shellBefore + " exec " + String.join(" ", hutch.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", command, "/dev/null");
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        Process p = pb.start();
        Thread typist = new Thread(() -> {
            try {
                Thread.sleep(delayMs);
                p.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
            } catch (Exception ignored) {
                // the process ended first
            }
        });
        typist.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        typist.join();
        return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    @Test
    void theCommandGetsARealPtyAsItsTerminal() throws Exception {
        String[] r = atATerminal("", 0, "run", "--rm", "-it", "--network", "none", "busybox", "tty");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("/dev/pts/0"), "tty inside prints a /dev/pts path: " + r[1]);
    }

    @Test
    void theWindowSizeFollowsTheTerminal() throws Exception {
        // The terminal starts at 40x100 and is resized to 50x120 while the container runs: the
        // kernel signals SIGWINCH to the terminal's foreground group (hutch: the monitor, or the
        // client, which forwards it through the service), and the container's pty follows.
        String[] r = atATerminal("stty rows 40 cols 100; (sleep 1.5; stty rows 50 cols 120 </dev/tty) &", "", 0,
                "run", "--rm", "-it", "--network", "none", "busybox", "sh", "-c", "stty size; sleep 3; stty size");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("40 100"), "the starting size: " + r[1]);
        assertTrue(r[1].contains("50 120"), "the size after the resize: " + r[1]);
    }

    @Test
    void ctrlCReachesTheContainer() throws Exception {
        // Ctrl-C is byte 3 on the terminal: the container's own line discipline turns it into
        // SIGINT for sleep, which dies of it: 128 + 2.
        String[] r = atATerminal("\u0003", 3000, "run", "--rm", "-it", "--network", "none", "busybox", "sleep", "100");
        assertEquals("130", r[0], r[1]);
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
