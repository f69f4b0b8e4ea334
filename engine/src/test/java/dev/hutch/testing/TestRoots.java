package dev.hutch.testing;

import dev.hutch.engine.EngineConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Private engine roots for one test class: run and lib roots in a short temp dir (unix socket paths
 * are limited to 107 bytes), and a cgroup parent {@code hutch/test-<rand>} so the test's cgroups
 * are hutch's and can be told apart from a real engine's. {@link #close()} removes them and fails
 * if containers, cgroups or mounts of this test are left: a test that leaks fails.
 */
public final class TestRoots implements AutoCloseable {
    private final Path dir;
    private final String tag;
    private final EngineConfig config;

    public TestRoots() {
        try {
            byte[] b = new byte[3];
            new SecureRandom().nextBytes(b);
            tag = HexFormat.of().formatHex(b);
            dir = Files.createDirectories(Path.of("/tmp/hutch-test-" + tag));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config = EngineConfig.fromEnvironment(System.getenv())
                .withRunRoot(dir.resolve("run"))
                .withLibRoot(dir.resolve("lib"))
                .withCgroupParent("hutch/test-" + tag);
    }

    public EngineConfig config() { return config; }

    public Path dir() { return dir; }

    public String tag() { return tag; }

    /** Every container state dir still present under this test's run root. */
    public java.util.List<String> leftoverContainers() {
        Path c = config.containersDir();
        if (!Files.isDirectory(c)) return java.util.List.of();
        try (var s = Files.list(c)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return java.util.List.of("<unreadable " + c + ">");
        }
    }

    /** cgroup directories under this test's parent, on every controller. */
    public java.util.List<Path> leftoverCgroups() {
        java.util.List<Path> out = new java.util.ArrayList<>();
        try (var s = Files.list(config.cgroupRoot())) {
            for (Path controller : s.toList()) {
                Path p = controller.resolve(config.cgroupParent());
                if (Files.isDirectory(p)) {
                    try (var inner = Files.list(p)) {
                        inner.filter(Files::isDirectory).forEach(out::add);
                    }
                }
            }
        } catch (IOException ignored) {
            // no cgroupfs: nothing to leak
        }
        return out;
    }

    @Override
    public void close() {
        java.util.List<String> containers = leftoverContainers();
        java.util.List<Path> cgroups = leftoverCgroups();
        // Remove the test's (empty) cgroup parents, then the temp dir, whatever else happened.
        try (var s = Files.list(config.cgroupRoot())) {
            for (Path controller : s.toList()) {
                Path p = controller.resolve(config.cgroupParent());
                if (Files.isDirectory(p)) {
                    try { Files.delete(p); } catch (IOException ignored) { /* reported below if not empty */ }
                }
            }
        } catch (IOException ignored) {
            // nothing to remove
        }
        if (containers.isEmpty()) {
            try {
                org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
            } catch (IOException ignored) {
                // a mount left inside would show in the host leak check
            }
        }
        if (!containers.isEmpty() || !cgroups.isEmpty())
            throw new AssertionError("the test left containers " + containers + " and cgroups " + cgroups + " (under " + dir + ")");
    }
}
