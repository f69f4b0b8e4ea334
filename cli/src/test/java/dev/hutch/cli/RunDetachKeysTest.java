package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The detach keys in a foreground {@code run -it} and {@code start -ai} (docker's behaviour):
 * typed on a real terminal (util-linux {@code script}, as AttachTest does), ctrl-p ctrl-q (or
 * {@code --detach-keys}) ends hutch with 0 and the terminal restored, while the container runs on:
 * its init alive in /proc, "Up" in ps, its later output in its log, and attachable; a --rm one is
 * removed when it later ends. A ctrl-p followed by another key reaches the container's stdin; without
 * a tty the keys are plain bytes. Runs in-process and through the engine service (cli/pom.xml).
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunDetachKeysTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() {
        try {
            assertEquals(List.of(), roots.leftoverContainers());
        } finally {
            roots.close();
        }
    }

    static Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static String inspect(String format, String name) { return hutch("inspect", "-f", format, name).out().trim(); }

    /** The container's init as the host sees it, and whether /proc has it alive (not a zombie). */
    static boolean initAlive(String name) throws IOException {
        long pid = Long.parseLong(inspect("{{.State.Pid}}", name));
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (pid <= 0 || !Files.exists(stat)) return false;
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void ctrlPCtrlQLeavesARunItRunningAndAttachable() throws Exception {
        String name = "dk-" + roots.tag();
        try (ScriptTerminal t = ScriptTerminal.start(roots.environment(), hutchLine("run", "-it", "--name", name, "--network", "none", "busybox", "sh")
                + "; echo hutch-exit=$?; stty -a")) {
            t.await("# ");
            t.type("echo calc-$((40+2))\r");
            t.await("calc-42");
            // ctrl-p then another key is no detach: both bytes reach the command's stdin
            t.type("od -c\r");
            t.type("\u0010a\r");
            t.type("\u0004");
            t.await("020   a  \\n");
            t.type("\u0010\u0011");
            t.await("hutch-exit=");
            assertEquals(0, t.waitFor(), t.output());
            String out = t.output();
            assertTrue(out.contains("hutch-exit=0"), "hutch ended with 0 at the detach keys: " + out);
            assertFalse(out.contains("escape"), "nothing odd printed: " + out);
            String stty = out.substring(out.indexOf("hutch-exit="));
            assertTrue(stty.contains(" icanon") && stty.contains(" echo ") && !stty.contains("-icanon"),
                    "the terminal is back in cooked mode: " + stty);
        }
        try {
            assertTrue(initAlive(name), "the container's init lives on after the caller detached");
            String ps = hutch("ps").out();
            assertTrue(ps.lines().anyMatch(l -> l.endsWith(" " + name) && l.contains(" Up ")), "ps lists it Up: " + ps);
            assertEquals("running", inspect("{{.State.Status}}", name));

            try (ScriptTerminal t = ScriptTerminal.start(roots.environment(), hutchLine("attach", name) + "; echo attach-exit=$?")) {
                Thread.sleep(1500); // attached (attach prints nothing until the shell writes)
                t.type("echo again-$((1+1))\r");
                t.await("again-2");
                t.type("exit 3\r");
                t.await("attach-exit=");
                assertTrue(t.output().contains("attach-exit=3"), "attach ends with the shell's code: " + t.output());
                t.waitFor();
            }
            assertEquals("exited 3", inspect("{{.State.Status}} {{.State.ExitCode}}", name));
            String logs = hutch("logs", name).out();
            assertTrue(logs.contains("calc-42") && logs.contains("again-2"), "before and after the detach, in its log: " + logs);
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void customKeysDetachAndARmContainerGoesWhenItLaterEnds() throws Exception {
        String name = "dk-rm-" + roots.tag();
        try {
            try (ScriptTerminal t = ScriptTerminal.start(roots.environment(), hutchLine("run", "-it", "--rm", "--detach-keys", "ctrl-x,y", "--name", name,
                    "--network", "none", "busybox", "sh") + "; echo hutch-exit=$?")) {
                t.await("# ");
                t.type("echo calc-$((6*7))\r");
                t.await("calc-42");
                t.type("\u0018y");
                t.await("hutch-exit=");
                assertTrue(t.output().contains("hutch-exit=0"), t.output());
                t.waitFor();
            }
            assertTrue(initAlive(name), "runs on after ctrl-x y");
            assertEquals(0, hutch("stop", "-t", "1", name).code());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (hutch("inspect", name).code() == 0 && System.nanoTime() < deadline) Thread.sleep(200);
            assertNotEquals(0, hutch("inspect", name).code(), "the --rm container removed itself when it ended");
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void startAiDetachesToo() throws Exception {
        String name = "dk-start-" + roots.tag();
        assertEquals(0, hutch("create", "-it", "--name", name, "--network", "none", "busybox", "sh").code());
        try {
            try (ScriptTerminal t = ScriptTerminal.start(roots.environment(), hutchLine("start", "-ai", name) + "; echo hutch-exit=$?")) {
                t.await("# ");
                t.type("echo st-$((2+3))\r");
                t.await("st-5");
                t.type("\u0010\u0011");
                t.await("hutch-exit=");
                assertTrue(t.output().contains("hutch-exit=0"), t.output());
                t.waitFor();
            }
            assertTrue(initAlive(name), "start -ai left it running");
            assertEquals("running", inspect("{{.State.Status}}", name));
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void withoutATtyTheKeysAreJustBytes() throws Exception {
        Path in = roots.dir().resolve("keys-in");
        Files.write(in, new byte[] {0x10, 0x11, '\n'});
        Result r = HutchProcess.run(roots.environment(), List.of(), new File(in.toString()),
                "run", "-i", "--rm", "--network", "none", "busybox", "od", "-c");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("020 021  \\n"), "ctrl-p ctrl-q reached the command (docker -i without -t): " + r.out());
    }

    @Test
    void badKeysAreOneLineExit125AndMakeNothing() {
        for (String[] args : List.of(new String[] {"run", "-it", "--detach-keys=", "busybox", "true"},
                new String[] {"run", "--detach-keys=ctrl-1", "busybox", "true"},
                new String[] {"start", "-ai", "--detach-keys=ctrl-p,", "no-such-" + roots.tag()})) {
            Result r = hutch(args);
            assertEquals(125, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--detach-keys"), r.err());
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    /** hutch's command line (as this test JVM runs it) for a shell. */
    static String hutchLine(String... args) {
        return String.join(" ", HutchProcess.command(List.of(), args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    }
}
