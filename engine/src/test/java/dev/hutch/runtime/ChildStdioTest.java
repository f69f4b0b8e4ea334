package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.sys.PosixSpawn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ChildStdio.of: a child whose stdio is the descriptors given (what the engine service received
 * from its client) and whose environment is exactly the one given, observed from the other ends
 * of real pipes; and its Process: exit codes as Java gives them, signals, reaping.
 */
class ChildStdioTest {
    @TempDir
    Path tmp;

    /** Every descriptor a test opened, closed afterwards. */
    private final List<Integer> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int fd : opened) {
            try {
                PosixSpawn.close(fd);
            } catch (RuntimeException ignored) {
                // closed by the test already
            }
        }
    }

    private int[] pipe() {
        int[] p = PosixSpawn.pipe();
        opened.add(p[0]);
        opened.add(p[1]);
        return p;
    }

    private void close(int fd) {
        PosixSpawn.close(fd);
        opened.remove(Integer.valueOf(fd));
    }

    /** Reads the pipe to its end through a descriptor of our own (the raw one is closed by the test). */
    private static CompletableFuture<String> drain(int readFd) throws IOException {
        FileInputStream in = new FileInputStream("/proc/self/fd/" + readFd);
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                // not readAllBytes: Java 17's FileInputStream asks a pipe for its position (ESPIPE)
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void theChildGetsTheGivenDescriptorsAndEnvironment() throws Exception {
        int[] in = pipe(), out = pipe(), err = pipe();
        Map<String, String> env = Map.of("HUTCH_CALLER", "the caller's", "PATH", "/usr/bin:/bin");
        Process p = ChildStdio.of(in[0], out[1], err[1], env).startAttached(List.of("/bin/sh", "-c",
                "echo out; echo err >&2; read x; echo got $x; echo \"caller=$HUTCH_CALLER home=$HOME\"; exit 3"));
        // the child has its copies: ours go, so EOF comes when the child ends
        close(in[0]);
        close(out[1]);
        close(err[1]);
        CompletableFuture<String> stdout = drain(out[0]), stderr = drain(err[0]);
        try (FileOutputStream stdin = new FileOutputStream("/proc/self/fd/" + in[1])) {
            close(in[1]);
            stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the child did not end");
        assertEquals(3, p.exitValue());
        assertEquals("out\ngot hello\ncaller=the caller's home=\n", stdout.get(10, TimeUnit.SECONDS),
                "stdout, stdin or the environment (this JVM's HOME must not leak in)");
        assertEquals("err\n", stderr.get(10, TimeUnit.SECONDS));
        assertFalse(p.isAlive());
        assertEquals(3, p.onExit().get(1, TimeUnit.SECONDS).exitValue());
    }

    @Test
    void theEnvironmentIsExactlyTheGivenOne() throws Exception {
        int[] out = pipe();
        Process p = ChildStdio.of(out[1], out[1], out[1], Map.of("A", "1", "B", "two words"))
                .startAttached(List.of("/usr/bin/env"));
        close(out[1]);
        String text = drain(out[0]).get(20, TimeUnit.SECONDS);
        assertEquals(0, p.waitFor());
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
        lines.sort(null);
        assertEquals(List.of("A=1", "B=two words"), lines);
    }

    /** One descriptor given twice (stdout and stderr to one pipe), and nothing else inherited. */
    @Test
    void oneDescriptorTwiceAndNoOtherDescriptorLeaks() throws Exception {
        int[] in = pipe(), out = pipe();
        // a descriptor the JVM opens without close-on-exec must not reach the child either
        try (FileInputStream jvmFile = new FileInputStream("/dev/null")) {
            ChildStdio stdio = ChildStdio.of(in[0], out[1], out[1], Map.of());
            Process twice = stdio.startAttached(List.of("/bin/sh", "-c", "echo one; echo two >&2"));
            assertEquals(0, twice.waitFor());
            // ls lists its own open descriptors: 0-2, and the one it reads /proc/self/fd with
            Process ls = stdio.startAttached(List.of("/bin/ls", "-l", "/proc/self/fd"));
            assertEquals(0, ls.waitFor());
            close(in[0]);
            close(out[1]);
            close(in[1]);
            String text = drain(out[0]).get(20, TimeUnit.SECONDS);
            assertTrue(jvmFile.getFD().valid());
            assertTrue(text.startsWith("one\ntwo\n"), text);
            List<String> fds = new ArrayList<>();
            for (String line : text.split("\n")) {
                int arrow = line.indexOf(" -> ");
                if (arrow < 0) continue;
                String[] f = line.substring(0, arrow).split(" ");
                String fd = f[f.length - 1], target = line.substring(arrow + 4);
                if (!(Integer.parseInt(fd) >= 3 && target.matches("/proc/\\d+/fd"))) fds.add(fd);
            }
            assertEquals(List.of("0", "1", "2"), fds, "descriptors the child has: " + text);
        }
    }

    /**
     * Sources that are themselves 0-2 in this JVM, crossed: the child's 0 is our 2 and its 1 is
     * our 0 (a naive dup2 in order would overwrite our 0 before copying it). The child only looks.
     */
    @Test
    void descriptorsThatAreZeroToTwoHereMayBeCrossed() throws Exception {
        int[] err = pipe();
        Process p = ChildStdio.of(2, 0, err[1], Map.of()).startAttached(List.of("/bin/sh", "-c",
                "readlink /proc/$$/fd/0 /proc/$$/fd/1 | cat >&2"));
        close(err[1]);
        String text = drain(err[0]).get(20, TimeUnit.SECONDS);
        assertEquals(0, p.waitFor());
        String ours = Files.readSymbolicLink(Path.of("/proc/self/fd/2")) + "\n" + Files.readSymbolicLink(Path.of("/proc/self/fd/0")) + "\n";
        assertEquals(ours, text);
    }

    @Test
    void signalsGiveJavasExitCodes() throws Exception {
        int[] in = pipe(), out = pipe();
        ChildStdio stdio = ChildStdio.of(in[0], out[1], out[1], Map.of());
        Process killed = stdio.startAttached(List.of("/bin/sleep", "100"));
        Process termed = stdio.startAttached(List.of("/bin/sleep", "100"));
        Process signalled = stdio.startAttached(List.of("/bin/sleep", "100"));
        assertTrue(killed.isAlive());
        assertFalse(killed.waitFor(50, TimeUnit.MILLISECONDS));
        assertThrows(IllegalThreadStateException.class, killed::exitValue);

        // several threads wait for one child: each sees the one code
        List<CompletableFuture<Integer>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) waiters.add(CompletableFuture.supplyAsync(() -> {
            try {
                return killed.waitFor();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        killed.destroyForcibly();
        for (CompletableFuture<Integer> w : waiters) assertEquals(137, w.get(20, TimeUnit.SECONDS));

        termed.destroy();
        assertEquals(143, termed.waitFor());

        assertTrue(Signals.send(signalled.pid(), Signals.SIGHUP));
        assertEquals(129, signalled.waitFor());
        // reaped: the pid is gone (unless reused this very moment, which kill 0 would see as alive)
        assertFalse(Files.exists(Path.of("/proc/" + signalled.pid() + "/stat"))
                && Files.readString(Path.of("/proc/" + signalled.pid() + "/stat")).contains("(sleep) Z"), "left a zombie");
        killed.destroyForcibly(); // after the end: nothing happens
        assertEquals(137, killed.exitValue());
    }

    @Test
    void signalsSendRefusesClearly() {
        HutchException e = assertThrows(HutchException.class, () -> Signals.send(ProcessHandle.current().pid(), 99));
        assertTrue(e.getMessage().contains("cannot send signal 99"), e.getMessage());
    }

    @Test
    void detachedGetsDevNullAndItsStderrFile() throws Exception {
        Path log = tmp.resolve("helper.log");
        Files.writeString(log, "old text that must go\n");
        Process p = ChildStdio.of(0, 1, 2, Map.of()).startDetached(List.of("/bin/sh", "-c",
                "read x; echo \"read=$? x=$x\" >&2; echo to-nowhere; readlink /proc/$$/fd/0 /proc/$$/fd/1 | cat >&2"), log);
        assertEquals(0, p.waitFor(20, TimeUnit.SECONDS) ? 0 : -1);
        String text = Files.readString(log);
        // stdin at EOF, stdin and stdout /dev/null, the old text truncated away
        assertEquals("read=1 x=\n/dev/null\n/dev/null\n", text);
    }

    @Test
    void aProgramThatCannotRunIsAnIOException() {
        IOException e = assertThrows(IOException.class,
                () -> ChildStdio.of(0, 1, 2, Map.of()).startAttached(List.of("/no/such/program")));
        assertTrue(e.getMessage().contains("/no/such/program"), e.getMessage());
        assertThrows(IOException.class, () -> ChildStdio.of(0, 1, 2, Map.of("PATH", tmp.toString())).startAttached(List.of("sh")));
    }

    @Test
    void inheritedIsThisJvmsOwn() throws Exception {
        Path log = tmp.resolve("err");
        Process p = ChildStdio.inherited().startDetached(List.of("/bin/sh", "-c", "echo \"path=$PATH\" >&2"), log);
        assertEquals(0, p.waitFor());
        assertEquals("path=" + System.getenv("PATH") + "\n", Files.readString(log));
    }
}
