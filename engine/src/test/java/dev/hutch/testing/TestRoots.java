package dev.hutch.testing;

import dev.hutch.config.EngineConfig;

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
        // A default bridge of the test's own (never the host's hutch0) on a /24 of 10.233/16, so a
        // test that runs bridged containers can remove what it made and nothing else.
        config = EngineConfig.fromEnvironment(System.getenv())
                .withRunRoot(dir.resolve("run"))
                .withLibRoot(dir.resolve("lib"))
                .withCgroupParent("hutch/test-" + tag)
                .withBridge("hutchr" + tag, "10.233." + (Integer.parseInt(tag.substring(0, 2), 16)) + ".0/24");
    }

    public EngineConfig config() { return config; }

    /**
     * The same roots for a hutch started as a separate process: the environment variables
     * EngineConfig reads (the CLI's flags would not carry the bridge).
     */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("HUTCH_RUN_ROOT", config.runRoot().toString(), "HUTCH_LIB_ROOT", config.libRoot().toString(),
                "HUTCH_CGROUP_PARENT", config.cgroupParent(), "HUTCH_BRIDGE", config.bridgeName(),
                "HUTCH_BRIDGE_SUBNET", config.bridgeSubnet());
    }

    public Path dir() { return dir; }

    public String tag() { return tag; }

    /** Takes the test's default bridge and its rules off the host, if a bridged container made them. */
    private void removeOwnBridge() {
        if (!Files.exists(Path.of("/sys/class/net", config.bridgeName()))) return;
        var networking = new dev.hutch.net.HostNetworking(config, ref -> null);
        if (!new dev.hutch.net.Networks(networking).removeDefaultBridge())
            throw new AssertionError("the test's bridge " + config.bridgeName() + " still has containers");
    }

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

    /**
     * Where this test's cgroup parent can be: under the cgroup root itself (a pure v2 host mounts
     * cgroup2 there) and under every directory in it (each v1 hierarchy, named ones such as
     * name=systemd included, since podman's runc makes cgroups there too, and a hybrid host's
     * unified one). Only the paths that exist are returned.
     */
    private java.util.List<Path> parentDirs() {
        java.util.List<Path> out = new java.util.ArrayList<>();
        Path root = config.cgroupRoot();
        out.add(root.resolve(config.cgroupParent()));
        try (var s = Files.list(root)) {
            s.filter(Files::isDirectory).forEach(h -> out.add(h.resolve(config.cgroupParent())));
        } catch (IOException e) {
            // no cgroupfs: nothing to leak
        }
        return out.stream().filter(Files::isDirectory).toList();
    }

    /** cgroup directories under this test's parent, in every hierarchy. */
    public java.util.List<Path> leftoverCgroups() {
        java.util.List<Path> out = new java.util.ArrayList<>();
        for (Path p : parentDirs()) {
            if (!Files.isDirectory(p)) continue;
            try (var inner = Files.list(p)) {
                inner.filter(Files::isDirectory).forEach(out::add);
            } catch (IOException e) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public void close() {
        removeOwnBridge();
        java.util.List<String> containers = leftoverContainers();
        java.util.List<Path> cgroups = leftoverCgroups();
        // Remove the test's (empty) cgroup parents, then the temp dir, whatever else happened.
        for (Path p : parentDirs()) {
            try { Files.deleteIfExists(p); } catch (IOException ignored) { /* reported below if not empty */ }
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
