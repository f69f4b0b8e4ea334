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
    private final ServiceProcess service;

    PrivateDockerApi() throws Exception {
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        env.put("HUTCH_DOCKER_SOCKET", socket.toString());
        ServiceProcess started;
        try {
            started = ServiceProcess.start(env, roots.dir().resolve("engine"), "600", null);
        } catch (Throwable e) {
            roots.close();
            throw e;
        }
        service = started;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(socket), "the service made no Docker API socket: " + service.logText());
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
