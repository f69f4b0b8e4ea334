package dev.hutch.cli.api;

import dev.hutch.cli.service.ServiceProcess;
import dev.hutch.testing.TestRoots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A `hutch engine serve` of the test's own (its own roots, bridge and cgroup parent) serving the
 * Docker API on a socket in the test's directory: what the Java clients' tests talk to, never
 * /run/hutch or /var/run/docker.sock. Closing it stops the service, checks that no container is
 * left, and removes the roots (TestRoots checks mounts, cgroups and the bridge).
 */
final class PrivateDockerApi implements AutoCloseable {
    final TestRoots roots = new TestRoots();
    final Path socket = roots.dir().resolve("api/docker.sock");
    private volatile ServiceProcess service;

    PrivateDockerApi() throws Exception {
        ServiceProcess started;
        try {
            started = ServiceProcess.start(environment(), roots.dir().resolve("engine"), "600", null);
        } catch (Throwable e) {
            roots.close();
            throw e;
        }
        service = started;
        try {
            awaitSocket();
        } catch (Throwable e) {
            // the test's @AfterAll has nothing to close yet: stop what was started here
            try {
                service.close();
            } finally {
                roots.close();
            }
            throw e;
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        env.put("HUTCH_DOCKER_SOCKET", socket.toString());
        return env;
    }

    private void awaitSocket() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(socket), "the service made no Docker API socket: " + service.logText());
    }

    /**
     * Stops the service and starts a new one on the same roots and socket: what the service's
     * memory held is gone, what is on disk stays (a test that containers outlive their service).
     */
    void restartService() throws Exception {
        service.close();
        assertTrue(!Files.exists(socket), "the Docker API socket outlived its service");
        service = ServiceProcess.start(environment(), roots.dir().resolve("engine"), "600", null);
        awaitSocket();
    }

    /** For DOCKER_HOST. */
    String dockerHost() { return "unix://" + socket; }

    String log() throws java.io.IOException { return service.logText(); }

    /** The service's pid, to look at it in /proc. */
    long servicePid() { return service.process.pid(); }

    /** Stops the service only, for a test that checks what it leaves before close() removes the roots; close() after it too. */
    void stopService() throws Exception { service.close(); }

    @Override
    public void close() throws Exception {
        try {
            service.close();
            assertEquals(List.of(), roots.leftoverContainers(), "containers left by the client's test");
        } finally {
            roots.close();
        }
    }
}
