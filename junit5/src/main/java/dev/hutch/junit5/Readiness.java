package dev.hutch.junit5;

import dev.hutch.HutchException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What "ready" means for a container before a test body runs: a port answering or a log line.
 * Only two kinds of address are ever connected to: the container's own (inside a namespace
 * hutch made) and 127.0.0.1 for a published port; nothing else on the network is touched.
 */
abstract class Readiness {
    private static final long POLL_MILLIS = 50;

    /** True once the condition holds. */
    abstract boolean met(HutchContainerRef c);

    /** For the error: "port 8080 answering at 10.88.0.5". */
    abstract String what(HutchContainerRef c);

    static Readiness containerPort(int port) {
        checkPort(port);
        return new Readiness() {
            boolean met(HutchContainerRef c) { return answers(c.ip(), port); }

            String what(HutchContainerRef c) { return "port " + port + " answering at the container's address"; }
        };
    }

    static Readiness hostPort(int containerPort) {
        checkPort(containerPort);
        return new Readiness() {
            boolean met(HutchContainerRef c) { return answers("127.0.0.1", c.hostPort(containerPort)); }

            String what(HutchContainerRef c) { return "port " + containerPort + " answering at 127.0.0.1:" + c.hostPort(containerPort); }
        };
    }

    static Readiness logLine(String regex) {
        Pattern re = Pattern.compile(regex, Pattern.MULTILINE);
        return new Readiness() {
            boolean met(HutchContainerRef c) { return re.matcher(c.logs()).find(); }

            String what(HutchContainerRef c) { return "a log line matching /" + regex + "/"; }
        };
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not a port (1 to 65535)");
    }

    /**
     * Waits for every condition in turn, all within {@code timeout}; fails at once when the
     * container ends first, with its exit code and last output.
     */
    static void awaitAll(List<Readiness> all, HutchContainerRef c, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Readiness r : all) {
            while (!r.met(c)) {
                if (!c.isRunning())
                    throw new HutchException("container " + c.name() + " ended (exit code " + c.state().exitCode() + ") before "
                            + r.what(c) + "; its last output: " + tail(c.logs()));
                if (System.nanoTime() > deadline)
                    throw new HutchException("container " + c.name() + ": " + r.what(c) + " did not happen within "
                            + timeout.toMillis() / 1000.0 + " s (raise it with .startupTimeout(Duration.ofSeconds(120)))");
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HutchException("interrupted while waiting for container " + c.name() + ": " + r.what(c), e);
                }
            }
        }
    }

    private static boolean answers(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        String t = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return t.isEmpty() ? "(none)" : t;
    }
}
