package dev.hutch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A shell command on a real terminal (util-linux {@code script}, a pty of its own): what is typed,
 * what it shows. For the tests of what only a terminal does: raw mode, detach keys, window sizes.
 */
public final class ScriptTerminal implements AutoCloseable {
    private final Process p;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ScriptTerminal(Process p) {
        this.p = p;
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream s = p.getInputStream()) {
                for (int n; (n = s.read(buf)) > 0; ) synchronized (out) { out.write(buf, 0, n); }
            } catch (IOException ignored) {
                // the terminal went away
            }
        }, "terminal-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code shellCommand} on a new terminal, with {@code env} added to this JVM's environment (and hutch's service settings). */
    public static ScriptTerminal start(Map<String, String> env, String shellCommand) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", shellCommand, "/dev/null").redirectErrorStream(true);
        pb.environment().putAll(env);
        HutchProcess.withServiceEnvironment(pb);
        return new ScriptTerminal(pb.start());
    }

    /** A command line as one shell word each, quoted. */
    public static String shellLine(List<String> words) {
        return String.join(" ", words.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    }

    public String output() {
        synchronized (out) { return out.toString(StandardCharsets.UTF_8); }
    }

    public void type(String keys) throws IOException, InterruptedException {
        p.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        Thread.sleep(300); // one keystroke group at a time, as a person types
    }

    /** Waits until the terminal shows {@code text} (60 s at most). */
    public void await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline) fail("the terminal never showed \"" + text + "\": " + output());
            Thread.sleep(50);
        }
    }

    /** The shell's exit code, once it ended (30 s at most). */
    public int waitFor() throws InterruptedException {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the terminal's shell ended: " + output());
        return p.exitValue();
    }

    @Override
    public void close() {
        p.destroyForcibly();
    }
}
