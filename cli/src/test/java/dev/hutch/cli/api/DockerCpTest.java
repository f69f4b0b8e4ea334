package dev.hutch.cli.api;

import dev.hutch.cli.service.ServiceProcess;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real docker CLI's {@code docker cp} against hutch's archive endpoints (HEAD, GET, PUT
 * /containers/{id}/archive) on a private service: files and directories both ways, "dir/.", -a,
 * -L, a stopped container, and docker's own error for a path that is not there.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerCpTest {
    static TestRoots roots;
    static ServiceProcess service;
    static Path socket;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(DockerCliTest.DOCKER), "needs the docker CLI at " + DockerCliTest.DOCKER);
        roots = new TestRoots();
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        socket = roots.dir().resolve("api/docker.sock");
        env.put("HUTCH_DOCKER_SOCKET", socket.toString());
        service = ServiceProcess.start(env, roots.dir().resolve("engine"), "600", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(socket), "the service made no Docker API socket: " + service.logText());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (roots == null) return;
        try {
            if (service != null) service.close();
            assertEquals(List.of(), roots.leftoverContainers(), "containers left by the test");
        } finally {
            roots.close();
        }
    }

    static Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DockerCliTest.DOCKER.toString(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(roots.dir(), "out", ".txt"), err = Files.createTempFile(roots.dir(), "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().put("DOCKER_CONFIG", roots.dir().resolve("docker-config").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "docker " + String.join(" ", args) + " did not end");
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        System.out.println("$ docker " + String.join(" ", args) + "  -> " + r.code() + "\n" + r.out() + r.err());
        return r;
    }

    static Result ok(String... args) throws Exception {
        Result r = docker(args);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ": " + r);
        return r;
    }

    @Test
    void dockerCpBothWaysRunningAndStopped() throws Exception {
        String name = "dkcp-" + roots.tag();
        ok("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c",
                "mkdir -p /d/sub && echo hello > /d/a && echo deep > /d/sub/b && chown 1234:5678 /d/a && ln -s /d/a /link && exec sleep 300");
        try {
            Path host = Files.createDirectories(roots.dir().resolve("host"));
            ok("cp", name + ":/d", host.toString());
            assertEquals("hello\n", Files.readString(host.resolve("d/a")));
            assertEquals("deep\n", Files.readString(host.resolve("d/sub/b")));
            ok("cp", name + ":/d/.", host.resolve("content").toString());
            assertEquals("deep\n", Files.readString(host.resolve("content/sub/b")), "d/. copies the content");
            ok("cp", name + ":/link", host.resolve("asLink").toString());
            assertTrue(Files.isSymbolicLink(host.resolve("asLink")), "without -L a link stays a link");
            ok("cp", "-L", name + ":/link", host.resolve("followed").toString());
            assertEquals("hello\n", Files.readString(host.resolve("followed")), "-L copies what it points at");

            Path in = Files.createDirectories(host.resolve("in"));
            Files.writeString(in.resolve("f"), "from the host\n");
            Files.setAttribute(in.resolve("f"), "unix:uid", 4321, LinkOption.NOFOLLOW_LINKS);
            ok("cp", in.toString(), name + ":/tmp/");
            ok("cp", "-a", in.resolve("f").toString(), name + ":/tmp/g");
            assertEquals("from the host\n", ok("exec", name, "cat", "/tmp/in/f").out());
            assertEquals("4321", ok("exec", name, "stat", "-c", "%u", "/tmp/g").out().trim(), "-a (copyUIDGID) keeps the owner");

            Result missing = docker("cp", name + ":/nope", host.resolve("x").toString());
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("No such container:path: " + name + ":/nope"), missing.err());

            ok("stop", "-t", "1", name);
            ok("cp", in.resolve("f").toString(), name + ":/stopped-in");
            ok("cp", name + ":/stopped-in", host.resolve("stopped-out").toString());
            assertEquals("from the host\n", Files.readString(host.resolve("stopped-out")), "both ways on a stopped container");
        } finally {
            docker("rm", "-f", name);
        }
    }
}
