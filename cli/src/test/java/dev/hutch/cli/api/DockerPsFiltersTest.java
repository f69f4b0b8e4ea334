package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker ps --filter}, {@code -n}, {@code -s} and {@code docker images --filter} with the real
 * docker CLI against a private service (as {@link DockerCliTest}): the same filters as hutch ps and
 * hutch images, as the docker CLI sends them (a JSON map in {@code filters=}), and docker's 400 for
 * a bad one (the CLI's "Error response from daemon", exit 1).
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerPsFiltersTest {
    static DockerCli cli;
    static String t, up, fresh, failed, dangling;
    static final List<String> made = new ArrayList<>();

    /** In creation order: up (running, labelled), fresh (created), failed (exited 3). */
    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        t = cli.roots().tag();
        up = "up-" + t;
        fresh = "fresh-" + t;
        failed = "failed-" + t;
        made.add(up);
        ok("run", "-d", "--name", up, "--network", "none", "-l", "tier=front", "busybox", "sleep", "300");
        made.add(fresh);
        ok("create", "--name", fresh, "--network", "none", "busybox", "true");
        made.add(failed);
        assertEquals(3, docker("run", "--name", failed, "--network", "none", "busybox", "sh", "-c", "exit 3").code());
        ok("tag", "busybox", "pf-" + t + ":v1");
        dangling = ok("commit", failed).out().trim();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli == null) return;
        try {
            for (String c : made) docker("rm", "-f", c);
            docker("rmi", "pf-" + t + ":v1");
            if (dangling != null) docker("rmi", dangling);
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

    static List<String> lines(String... args) throws Exception {
        return ok(args).out().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void psFilters() throws Exception {
        assertEquals(List.of(failed, fresh, up), lines("ps", "-a", "--format", "{{.Names}}"));
        assertEquals(List.of(up), lines("ps", "-a", "--filter", "name=^/up-", "--format", "{{.Names}}"));
        assertEquals(List.of(failed), lines("ps", "--filter", "status=exited", "--format", "{{.Names}}"));
        assertEquals(List.of(fresh, up), lines("ps", "-a", "-f", "status=created", "-f", "status=running", "--format", "{{.Names}}"));
        assertEquals(List.of(failed), lines("ps", "-a", "--filter", "exited=3", "--format", "{{.Names}}"));
        assertEquals(List.of(failed, fresh, up), lines("ps", "-a", "--filter", "ancestor=pf-" + t + ":v1", "--format", "{{.Names}}"));
        assertEquals(List.of(up), lines("ps", "-a", "--filter", "label=tier=front", "--format", "{{.Names}}"));
        assertEquals(List.of(failed, fresh), lines("ps", "-a", "--filter", "since=" + up, "--format", "{{.Names}}"));
        assertEquals(List.of(fresh, up), lines("ps", "-a", "--filter", "before=" + failed, "--format", "{{.Names}}"));
        assertEquals(List.of(failed), lines("ps", "-n", "1", "--format", "{{.Names}}"), "-n: the last created, any state");
        String size = lines("ps", "-a", "-s", "--filter", "name=" + up, "--format", "{{.Size}}").get(0);
        assertTrue(size.matches("[0-9.]+k?B \\(virtual [0-9.]+MB\\)"), size);

        Result bad = docker("ps", "--filter", "colour=red");
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.err().contains("Error response from daemon: invalid filter 'colour'"), bad.err());
        Result badStatus = docker("ps", "--filter", "status=sleepy");
        assertTrue(badStatus.err().contains("invalid filter 'status=sleepy'"), badStatus.err());
    }

    @Test
    void imagesFilters() throws Exception {
        String id = dangling.replace("sha256:", "").substring(0, 12);
        assertEquals(List.of("<none>:<none> " + id), lines("images", "--filter", "dangling=true", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
        assertEquals(List.of("pf-" + t + ":v1"), lines("images", "--filter", "reference=pf-*", "--format", "{{.Repository}}:{{.Tag}}"),
                "only the matching tag of busybox's image");
        List<String> tagged = lines("images", "--filter", "dangling=false", "--format", "{{.Repository}}:{{.Tag}}");
        assertTrue(tagged.contains("busybox:latest") && tagged.contains("pf-" + t + ":v1") && !tagged.contains("<none>:<none>"), tagged.toString());
        Result bad = docker("images", "--filter", "dangling=maybe");
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.err().contains("invalid filter 'dangling=maybe'"), bad.err());
    }
}
