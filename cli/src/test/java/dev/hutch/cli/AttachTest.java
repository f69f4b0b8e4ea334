package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hutch attach to detached containers through their monitor's attach socket: the output from
 * then on, stdin reaching the command, the container's exit code as hutch's, the detach keys
 * leaving it running (on a pipe, and on a real terminal through `script` for a -t container);
 * run -a (only the streams asked for) and --sig-proxy=false (a SIGINT ends hutch, not the
 * container), each judged by the container's own state; bad values refused with one line.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AttachTest {
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

    static Process start(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), args));
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        return pb.start();
    }

    static String detached(String name, String... runArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
        args.addAll(List.of(runArgs));
        Result r = hutch(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    static boolean running(String name) { return hutch("inspect", "-f", "{{.State.Running}}", name).out().trim().equals("true"); }

    @Test
    void attachSeesOutputFeedsStdinAndEndsWithTheContainersCode() throws Exception {
        String name = "att-" + roots.tag();
        detached(name, "-i", "busybox", "sh", "-c", "while read l; do [ \"$l\" = quit ] && exit 7; echo \"got $l\"; echo \"err $l\" >&2; done");
        try {
            Process p = start("attach", name);
            OutputStream in = p.getOutputStream();
            Thread.sleep(1500); // attached
            in.write("one\n".getBytes());
            in.flush();
            Thread.sleep(500);
            in.write("quit\n".getBytes());
            in.flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(7, p.exitValue(), out + err);
            assertEquals("got one\n", out, "stdin reached it, its stdout came back");
            assertTrue(err.contains("err one\n"), "stderr on stderr: " + err);
            assertEquals("exited 7", hutch("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name).out().trim());
            Result events = hutch("events", "--since", "10m", "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                    "--filter", "container=" + name, "--filter", "event=attach", "--filter", "event=die",
                    "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.image}}");
            assertEquals(List.of("attach " + name + " busybox", "die " + name + " busybox"), events.out().lines().toList(),
                    "docker's attach event, written by hutch attach as it connects, before the die\n" + events.err());
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void detachKeysLeaveItRunning() throws Exception {
        String name = "att-keys-" + roots.tag();
        detached(name, "-i", "busybox", "sh", "-c", "while read l; do echo \"got $l\"; done");
        try {
            Process p = start("attach", "--detach-keys=ctrl-x,q", name);
            Thread.sleep(1500);
            p.getOutputStream().write("one\n".getBytes());
            p.getOutputStream().flush();
            Thread.sleep(1000); // its answer comes back before we detach
            p.getOutputStream().write("\u0018q".getBytes());
            p.getOutputStream().flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the detach keys end attach");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), err);
            assertEquals("got one\n", out);
            assertEquals("read escape sequence", err.trim(), "docker's message");
            assertTrue(running(name), "the container runs on");
            assertTrue(hutch("logs", name).out().contains("got one"), "and its log has what it wrote");
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void aTtyContainerAtARealTerminalDetachesWithCtrlPCtrlQ() throws Exception {
        String name = "att-tty-" + roots.tag();
        detached(name, "-it", "busybox", "sh");
        try {
            try (ScriptTerminal t = ScriptTerminal.start(roots.environment(), "exec " + ScriptTerminal.shellLine(HutchProcess.command(List.of(), "attach", name)))) {
                Thread.sleep(2500); // attached (it prints nothing of its own)
                t.type("echo calc-$((40+2))\r");
                t.await("calc-42"); // typed at the terminal, run by the container's shell
                t.type("\u0010\u0011");
                assertEquals(1, t.waitFor(), t.output());
                assertTrue(t.output().contains("read escape sequence"), t.output());
            }
            assertTrue(running(name), "the shell runs on after ctrl-p ctrl-q");
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void aTtyContainerTakesTheSizeOfTheTerminalItIsAttachedToAndFollowsIt() throws Exception {
        String name = "att-size-" + roots.tag();
        detached(name, "-it", "busybox", "sh");
        try {
            // the terminal is 31x101 when attach starts; 4 s later a background stty resizes it
            // (the kernel's SIGWINCH goes to hutch, which passes the new size on)
            String attach = ScriptTerminal.shellLine(HutchProcess.command(List.of(), "attach", name));
            try (ScriptTerminal t = ScriptTerminal.start(roots.environment(),
                    "(sleep 4; stty rows 40 cols 120 </dev/tty) & stty rows 31 cols 101; exec " + attach)) {
                Thread.sleep(2500);
                t.type("echo at-$(stty size | tr ' ' x)\r");
                t.await("at-31x101"); // the container's terminal took the size of ours at attach
                Thread.sleep(2500);
                t.type("echo at-$(stty size | tr ' ' x)\r");
                t.await("at-40x120"); // and followed it when ours changed
                t.type("\u0010\u0011");
                assertEquals(1, t.waitFor(), t.output());
            }
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void runAttachesOnlyTheStreamsAsked() {
        String name = "att-a-" + roots.tag();
        Result r = hutch("run", "--name", name, "-a", "stdout", "--network", "none", "busybox", "sh", "-c", "echo to-out; echo to-err >&2");
        try {
            assertEquals(0, r.code());
            assertEquals("to-out\n", r.out());
            assertFalse(r.err().contains("to-err"), "stderr not attached: " + r.err());
            Result logs = hutch("logs", name);
            assertTrue(logs.err().contains("to-err"), "stderr still goes to the log: " + logs);
        } finally {
            hutch("rm", "-f", name);
        }
        Result e = hutch("run", "--rm", "-a", "STDERR", "--network", "none", "busybox", "sh", "-c", "echo to-out; echo to-err >&2");
        assertEquals("", e.out());
        assertTrue(e.err().contains("to-err"), e.err());
    }

    @Test
    void withoutSigProxyASigintEndsHutchAndNotTheContainer() throws Exception {
        String name = "att-sp-" + roots.tag();
        Path out = roots.dir().resolve("sp-out.txt");
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), "run", "--name", name, "--sig-proxy=false", "--network", "none",
                "busybox", "sh", "-c", "trap 'echo got-int; exit 3' INT; echo ready; while true; do sleep 1; done"))
                .redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectErrorStream(true);
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline) Thread.sleep(100);
            assertTrue(Files.readString(out).contains("ready"), Files.readString(out));
            dev.hutch.runtime.Signals.send(p.pid(), dev.hutch.runtime.Signals.SIGINT);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGINT ends hutch");
            Thread.sleep(1500);
            assertTrue(running(name), "the container did not get it: " + Files.readString(out));
            assertFalse(Files.readString(out).contains("got-int"));
        } finally {
            p.destroyForcibly();
            hutch("rm", "-f", name);
        }
    }

    @Test
    void badValuesAreOneLineAndMakeNothing() {
        for (String[] args : List.of(new String[] {"run", "-d", "-a", "stdout", "busybox", "true"},
                new String[] {"run", "-a", "bogus", "busybox", "true"}, new String[] {"run", "--sig-proxy=maybe", "busybox", "true"},
                new String[] {"run", "--detach-keys=ctrl-%", "busybox", "true"}, new String[] {"attach", "--detach-keys=,", "x"},
                new String[] {"attach", "no-such-" + roots.tag()})) {
            Result r = hutch(args);
            assertNotEquals(0, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertEquals(125, hutch("run", "-d", "-a", "stdout", "busybox", "true").code());
        assertTrue(hutch("run", "-d", "-a", "stdout", "busybox", "true").err().contains("Conflicting options: -a and -d"));
        assertEquals(List.of(), roots.leftoverContainers());
        String name = "att-stopped-" + roots.tag();
        assertEquals(0, hutch("run", "--name", name, "--network", "none", "busybox", "true").code());
        try {
            Result r = hutch("attach", name);
            assertEquals(1, r.code());
            assertTrue(r.err().contains("You cannot attach to a stopped container, start it first"), r.err());
        } finally {
            hutch("rm", "-f", name);
        }
    }
}
