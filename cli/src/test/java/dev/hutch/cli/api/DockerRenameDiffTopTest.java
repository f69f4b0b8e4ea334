package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker rename, docker diff and docker top through hutch's Docker API, with the real docker CLI
 * against a private `hutch engine serve` on the test's own roots (as {@link DockerCliTest}): the
 * name in the container's config.json after the rename, docker's lines and errors with exit 1.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerRenameDiffTopTest {
    static DockerCli cli;
    static TestRoots roots;
    static final List<String> made = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli == null) return;
        try {
            for (String c : made) docker("rm", "-f", c);
        } finally {
            cli.close(); // no container left, roots removed
        }
    }

    static Result docker(String... args) throws Exception {
        Result r = cli.run(null, args);
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
