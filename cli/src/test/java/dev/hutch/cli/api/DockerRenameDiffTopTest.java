package dev.hutch.cli.api;

import dev.hutch.cli.service.ServiceProcess;
import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker rename, docker diff and docker top through hutch's Docker API, with the real docker CLI
 * against a private `hutch engine serve` on the test's own roots (as {@link DockerCliTest}): the
 * name in the container's config.json after the rename, docker's lines and errors with exit 1.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerRenameDiffTopTest {
    static TestRoots roots;
    static ServiceProcess service;
    static Path socket;
    static final List<String> made = new ArrayList<>();

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(DockerCliTest.DOCKER), "needs the docker CLI at " + DockerCliTest.DOCKER
                + " (Debian's docker.io: scripts/setup.sh installs it for the tests)");
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
            for (String c : made) docker("rm", "-f", c);
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
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("docker " + String.join(" ", args) + " did not end in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        System.out.println("$ docker " + String.join(" ", args) + "  -> " + r.code() + "\n" + r.out() + r.err());
        return r;
    }

    static Result ok(String... args) throws Exception {
        Result r = docker(args);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ": " + r.err());
        return r;
    }

    static void fails(String message, String... args) throws Exception {
        Result r = docker(args);
        assertEquals(1, r.code(), "docker " + String.join(" ", args) + ": " + r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    static String run(String name, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none", "busybox"));
        args.addAll(List.of(command));
        made.add(name);
        return ok(args.toArray(String[]::new)).out().trim();
    }

    @Test
    void renameDiffAndTopAnswerAsDockerdDoes() throws Exception {
        String tag = roots.tag(), oldName = "dk-old-" + tag, newName = "dk-new-" + tag, other = "dk-other-" + tag;
        String id = run(oldName, "sh", "-c", "touch /tmp/made; rm /etc/group; touch /tmp/ready; sleep 300");
        run(other, "sleep", "300");

        ok("rename", oldName, newName);
        made.set(made.indexOf(oldName), newName);
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) Json.parse(Files.readString(roots.config().containerStateDir(id).resolve("config.json")));
        assertEquals(newName, record.get("name"));
        assertEquals("/" + newName, ok("inspect", "--format", "{{.Name}}", id).out().trim());
        fails("Conflict. The container name \"/" + other + "\" is already in use by container", "rename", newName, other);
        fails("Renaming a container with the same name as its current name", "rename", newName, newName);
        fails("No such container: dk-nothing", "rename", "dk-nothing", "dk-x" + tag);

        String diff = "";
        for (int i = 0; i < 100 && !diff.contains("A /tmp/ready"); i++) {
            Thread.sleep(100);
            diff = ok("diff", newName).out();
        }
        assertEquals(List.of("C /etc", "D /etc/group", "C /tmp", "A /tmp/made", "A /tmp/ready"), diff.lines().toList());

        String top = ok("top", newName).out();
        assertTrue(top.startsWith("UID") && top.lines().anyMatch(l -> l.endsWith("sleep 300")), top);
        String pids = ok("top", newName, "-o", "pid,comm").out();
        assertTrue(pids.lines().findFirst().orElse("").matches("PID\\s+COMMAND"), pids);
        ok("stop", "-t", "1", newName);
        fails("is not running", "top", newName);
    }
}
