package dev.hutch.cli;

import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code hutch shell} as a person at a terminal gets it: util-linux's {@code script} gives it a
 * real terminal and the bytes written to script's stdin are the keys typed. Runs in-process and,
 * in the cli module's second surefire run, through the client and the engine service, which has
 * no terminal of its own: there the line editor must drive the caller's.
 */
@RequiresRoot
@RequiresCommand("script")
class ShellTtyTest {
    static TestRoots roots;
    @TempDir Path home;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    @Test
    void ctrlAMovesTheCursorToTheStartOfTheLine() throws Exception {
        // "+2", Ctrl-A, "3", Enter: only a line editor turns that into 3+2; plain lines would
        // hand Groovy "+2\u00013", an error.
        Session s = atTheShell("+2\u00013\r:exit\r");
        assertEquals("0", s.rc(), s.output());
        assertTrue(s.lines().contains("5"), "3+2 evaluated: " + s.output());
        assertEquals(s.settingsBefore(), s.settingsAfter(), "the terminal's settings are restored: " + s.output());
        assertTrue(Files.readString(home.resolve(".hutch_history")).contains("3+2"),
                "the history is kept in the caller's HOME");
    }

    @Test
    void ctrlCCancelsTheLineBeingTypedAndTheShellStays() throws Exception {
        // Ctrl-C at the prompt: the line typed so far is dropped, as in bash and jshell; through the
        // service too, where the line editor reads it as a key from the caller's terminal.
        Session s = atTheShell(List.of(
                step("hutch> ", "1 +\r"),
                step("...> ", "2 +"),
                step("2 +", "\u0003"),
                step("hutch> ", "'still' + 'here'\r"),
                step("stillhere", ":exit\r")));
        assertEquals("0", s.rc(), s.output());
        assertFalse(s.lines().contains("3"), "the cancelled 1 + 2 was not evaluated: " + s.output());
        assertTrue(s.lines().contains("stillhere"), s.output());
        assertEquals(s.settingsBefore(), s.settingsAfter(), "the terminal's settings are restored: " + s.output());
    }

    @Test
    void incompleteInputContinuesOnTheNextLine() throws Exception {
        // the same input as through a pipe: an operator at the end, an open block, an open string
        Session s = atTheShell(List.of(
                step("hutch> ", "1 +\r"),
                step("...> ", "41\r"),
                step("42", "def f = { x ->\r"),
                step("...> ", "x * 2 }\r"),
                step("hutch> ", "f(21) + 0\r"),
                step("42", "'''two\r"),
                step("...> ", "lines'''.readLines().size()\r"),
                step("2", ":exit\r")));
        assertEquals("0", s.rc(), s.output());
        assertFalse(s.output().contains("Unexpected"), s.output());
        assertEquals(2, s.lines().stream().filter("42"::equals).count(), s.output());
        assertTrue(s.lines().contains("2"), s.output());
    }

    @Test
    void ctrlCDuringRunStopsThatContainerOnly() throws Exception {
        // a background container, then a run() that would take ten minutes: Ctrl-C ends the run
        // (SIGINT to its container: 130), the background one runs on, and so does the shell
        Session s = atTheShell(List.of(
                step("hutch> ", "def bg = container('tty-bg') { image 'busybox'; network 'none'; command 'sleep', '600' }.start()\r"),
                step("tty-bg", "def r = container('tty-fg') { image 'busybox'; network 'none'; command 'sleep', '600' }.run()\r"),
                waitFor(() -> running("tty-fg"), "\u0003"),
                step("hutch> ", "[r.exitCode, bg.running]\r"),
                step("]", ":exit\r")));
        assertEquals("0", s.rc(), s.output());
        assertTrue(s.lines().contains("[130, true]"), "run() ended by SIGINT, the other container still runs: " + s.output());
        assertEquals(List.of(), roots.leftoverContainers(), "the shell removed both when it ended");
        assertEquals(s.settingsBefore(), s.settingsAfter(), "the terminal's settings are restored: " + s.output());
    }

    /** Whether a container of that name runs under the test's roots. */
    private static boolean running(String name) {
        HutchProcess.Result r = HutchProcess.run(roots.environment(), List.of(), "ps");
        return r.code() == 0 && r.out().lines().anyMatch(l -> l.endsWith(" " + name));
    }

    @Test
    void historyIsKeptAcrossSessionsAndSaveWritesARunnableScript() throws Exception {
        Path saved = home.resolve("session.groovy");
        Session first = atTheShell(List.of(
                step("hutch> ", "def n = 6\r"),
                step("hutch> ", "n * 7\r"),
                step("42", ":save " + saved + "\r"),
                step("saved", ":exit\r")));
        assertEquals("0", first.rc(), first.output());
        Session second = atTheShell(List.of(step("hutch> ", ":history\r"), step(":save", ":exit\r")));
        assertEquals("0", second.rc(), second.output());
        assertTrue(second.lines().stream().anyMatch(l -> l.matches("\\d+ +n \\* 7")), "the first session's lines: " + second.output());
        HutchProcess.Result script = HutchProcess.run(roots.environment(), List.of(), "script", saved.toString());
        assertEquals(0, script.code(), script.err());
        assertEquals("6\n42\n", script.out(), "what the session showed");
    }

    @Test
    void completionKnowsBlockWordsAndWhatExists() throws Exception {
        // TAB inside a block opened on an earlier line gives the block's word; in quotes, the
        // image and the container that exist; what was completed is what gets evaluated
        Session s = atTheShell(List.of(
                step("hutch> ", "def c = container('tty-comp') { image 'busybox'; network 'none'; command 'sh', '-c', 'echo from-comp; exec sleep 600' }.start().waitFor(log: /from-comp/)\r"),
                step("tty-comp", "def y = container('tty-y') {\r"),
                step("...> ", "cpuSha\t"),
                step("cpuShares", "512\r"),
                step("...> ", "image 'busy\t"),
                step("'busybox'", "; network 'none'; command 'echo', 'done' }\r"),
                step("hutch> ", "[y.spec.resources().cpuShares(), y.run().output.trim()]\r"),
                step("]", "logs 'tty-co\t"),
                step("'tty-comp'", "\r"),
                step("from-comp", ":exit\r")));
        assertEquals("0", s.rc(), s.output());
        assertTrue(s.lines().contains("[512, done]"), s.output());
        assertTrue(s.lines().stream().filter(l -> l.equals("from-comp")).count() >= 1, s.output());
        assertEquals(List.of(), roots.leftoverContainers(), "the shell removed its containers when it ended");
    }

    @Test
    void theLineWrapsAtTheTerminalsWidth() throws Exception {
        // JLine learns the width from stty on the terminal's device: at 30 columns, "hutch> " and
        // 23 characters fill the line and the editor moves to the next one itself (" \r"); at
        // its default of 80 it would not.
        String line = "'" + "a".repeat(40) + "'.size()";
        Session s = atTheShell("stty cols 30 rows 24;", line + "\r:exit\r");
        assertEquals("0", s.rc(), s.output());
        assertTrue(s.output().contains("'" + "a".repeat(22) + " \r" + "a".repeat(18) + "'.size()"), "wrapped at 30: " + s.output());
        assertTrue(s.lines().contains("40"), s.output());
    }

    @Test
    void pipedInputIsReadAsPlainLines() {
        // stdin is not a terminal: no line editing, no prompt, the lines as they are
        HutchProcess.Result r = HutchProcess.run(roots.environment(), List.of(), "shell"); // stdin /dev/null
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), "shell"));
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write("6 * 7\n'a\u0001b'.size()\n".getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertEquals("42\n3\n", out, "Ctrl-A is a character like any other in a plain line");
        } catch (IOException | InterruptedException e) {
            fail(e);
        }
    }

    /** What a session at a terminal showed: hutch's exit code, its output, stty -g before and after it. */
    record Session(String rc, String output, String settingsBefore, String settingsAfter) {
        List<String> lines() { return Arrays.stream(output.split("\r?\n")).map(String::strip).toList(); }
    }

    /**
     * Runs {@code hutch shell} on a fresh terminal inside {@code script}, types {@code keys} once
     * its prompt shows (typed earlier, the terminal's own line discipline would take them, before
     * the line editor sets it up), and records the terminal's settings around it.
     */
    Session atTheShell(String keys) throws Exception { return atTheShell("", keys); }

    /** The same, with {@code shellBefore} run on the terminal first (ending in ";"). */
    Session atTheShell(String shellBefore, String keys) throws Exception {
        return atTheShell(shellBefore, List.of(step("hutch> ", keys)));
    }

    /** Keys to type once the output since the last step shows {@code shown} (or {@code ready} holds). */
    record Step(String shown, java.util.function.BooleanSupplier ready, String keys) {}

    static Step step(String shown, String keys) { return new Step(shown, null, keys); }

    static Step waitFor(java.util.function.BooleanSupplier ready, String keys) { return new Step(null, ready, keys); }

    /** A session typed in steps, each after what it waits for, as a person reads before typing. */
    Session atTheShell(List<Step> steps) throws Exception { return atTheShell("", steps); }

    Session atTheShell(String shellBefore, List<Step> steps) throws Exception {
        String hutch = String.join(" ", HutchProcess.command(List.of(), "shell").stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        // the trap keeps the shell alive through Ctrl-C (its children get the default back)
        String command = "trap true INT; " + shellBefore + " echo before=$(stty -g); " + hutch + "; echo rc=$?; echo after=$(stty -g)";
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", command, "/dev/null");
        pb.environment().putAll(roots.environment());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TERM", "xterm");
        HutchProcess.withServiceEnvironment(pb);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = p.getInputStream().read(buf)) > 0; ) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                        out.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // script ended
            }
        });
        reader.start();
        try {
            int seen = 0;
            for (Step step : steps) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                boolean ready = false;
                while (!ready && p.isAlive() && System.nanoTime() < deadline) {
                    synchronized (out) {
                        ready = step.shown() != null && out.toString(StandardCharsets.UTF_8).indexOf(step.shown(), seen) >= 0;
                        if (!ready && step.shown() != null) out.wait(100);
                    }
                    if (step.ready() != null) {
                        ready = step.ready().getAsBoolean();
                        if (!ready) Thread.sleep(100);
                    }
                }
                assertTrue(ready, "waiting for " + (step.shown() == null ? "a condition" : step.shown()) + ": " + out);
                synchronized (out) {
                    seen = out.size();
                }
                // Keys come as a person's would, not within microseconds of the prompt: in-process,
                // JLine 2 draws the prompt and then runs one more stty of its own (lnext undef); a
                // Ctrl-C in between made its restore race that stty (CI, once: lnext left undefined).
                Thread.sleep(300);
                p.getOutputStream().write(step.keys().getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the session ends: " + out);
        } finally {
            // a failed session: ending script hangs its terminal up, which ends what runs on it
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join();
        String text = out.toString(StandardCharsets.UTF_8);
        return new Session(field(text, "rc="), text, field(text, "before="), field(text, "after="));
    }

    private static String field(String text, String prefix) {
        int i = text.lastIndexOf(prefix);
        assertTrue(i >= 0, prefix + " in " + text);
        int end = text.indexOf('\n', i);
        return text.substring(i + prefix.length(), end < 0 ? text.length() : end).strip();
    }
}
