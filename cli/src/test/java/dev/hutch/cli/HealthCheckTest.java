package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health checks run by the container's monitor (no daemon): a passing --health-cmd makes the
 * container healthy in ps and inspect, and runs inside the container (the file it writes names
 * the container's pid namespace, which the host compares with init's); a failing one is
 * unhealthy after --health-retries; the image's HEALTHCHECK (set by commit --change) applies
 * unless --no-healthcheck, and a commit of such a container keeps it. Bad values: one line,
 * exit 125, nothing left.
 */
@RequiresRoot
class HealthCheckTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), roots.leftoverContainers(), "every container of the test is gone");
        assertEquals(List.of(), roots.leftoverCgroups(), "no cgroup is left");
    }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static String detached(String... flagsThenImageAndCommand) {
        List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none"));
        a.addAll(List.of(flagsThenImageAndCommand));
        HutchProcess.Result r = hutch(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    static String inspect(String id, String format) { return hutch("inspect", "--format", format, id).out().trim(); }

    /** Polls inspect until the health status is {@code want} (or 30 s went by); returns the last seen. */
    static String awaitHealth(String id, String want) throws InterruptedException {
        String seen = "";
        for (long end = System.currentTimeMillis() + 30_000; System.currentTimeMillis() < end; Thread.sleep(200)) {
            seen = inspect(id, "{{.State.Health.Status}}");
            if (seen.equals(want)) break;
        }
        return seen;
    }

    @Test
    void aPassingCheckRunsInsideTheContainerAndMakesItHealthy() throws Exception {
        Path out = Files.createTempDirectory(roots.dir(), "out");
        String id = detached("-v", out + ":/out", "--health-cmd", "readlink /proc/self/ns/pid > /out/ns.tmp && mv /out/ns.tmp /out/ns; echo checked",
                "--health-interval", "300ms", "busybox", "sleep", "60");
        try {
            assertEquals("healthy", awaitHealth(id, "healthy"));
            long init = Long.parseLong(inspect(id, "{{.State.Pid}}"));
            String hostView = Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns", "pid")).toString();
            assertEquals(hostView, Files.readString(out.resolve("ns")).trim(),
                    "the check ran in the container's pid namespace (the host sees init's)");
            assertTrue(hutch("ps").out().contains("(healthy)"), "ps shows the health");
            assertEquals("0", inspect(id, "{{.State.Health.FailingStreak}}"));
            String log = inspect(id, "{{json .State.Health.Log}}");
            assertTrue(log.contains("\"ExitCode\":0") && log.contains("checked\\n"), log);
            assertTrue(log.contains("\"Start\":\"") && log.contains("\"End\":\""), log);
        } finally {
            hutch("rm", "-f", id);
            dev.hutch.util.Dirs.deleteRecursively(out);
        }
    }

    @Test
    void aFailingCheckIsUnhealthyAfterItsRetriesAndKeepsFiveResults() throws Exception {
        String id = detached("--health-cmd", "echo no; exit 1", "--health-interval", "200ms", "--health-retries", "2",
                "busybox", "sleep", "60");
        try {
            assertEquals("unhealthy", awaitHealth(id, "unhealthy"));
            assertTrue(Integer.parseInt(inspect(id, "{{.State.Health.FailingStreak}}")) >= 2);
            assertTrue(hutch("ps").out().contains("(unhealthy)"));
            Thread.sleep(1_500); // more than five checks by now
            String log = inspect(id, "{{json .State.Health.Log}}");
            assertEquals(5, log.split("\"ExitCode\":1").length - 1, "docker keeps the last five results: " + log);
        } finally {
            hutch("rm", "-f", id);
        }
    }

    @Test
    void theImagesHealthcheckAppliesUnlessNoHealthcheckAndCommitKeepsIt() throws Exception {
        String base = detached("busybox", "sleep", "60");
        String image = "hutch-test-health:" + roots.tag();
        String image2 = image + "-again";
        List<String> ids = new ArrayList<>(List.of(base));
        try {
            assertEquals(0, hutch("commit", "--change", "HEALTHCHECK --interval=300ms --retries=1 CMD test -d /proc/1",
                    base, image).code());
            assertTrue(hutch("image", "inspect", "--format", "{{json .Config.Healthcheck}}", image).out().contains("test -d /proc/1"));
            String withImages = detached(image, "sleep", "60");
            ids.add(withImages);
            assertEquals("healthy", awaitHealth(withImages, "healthy"), "the image's HEALTHCHECK ran");
            String without = detached("--no-healthcheck", image, "sleep", "60");
            ids.add(without);
            Thread.sleep(1_500); // several intervals of the image's check
            assertEquals("null", inspect(without, "{{json .State.Health}}"), "--no-healthcheck: no check, no Health");
            String line = hutch("ps").out().lines().filter(l -> l.startsWith(without.substring(0, 12))).findFirst().orElse("");
            assertFalse(line.contains("healthy)") || line.contains("(health:"), line);
            // commit of a container of that image keeps the image's HEALTHCHECK
            assertEquals(0, hutch("commit", withImages, image2).code());
            assertTrue(hutch("image", "inspect", "--format", "{{json .Config.Healthcheck}}", image2).out().contains("test -d /proc/1"));
        } finally {
            for (String id : ids) hutch("rm", "-f", id);
            hutch("rmi", "-f", image, image2);
        }
    }

    @Test
    void badHealthValuesAreOneLineAndLeaveNothing() {
        for (List<String> flags : List.of(List.of("--health-cmd", "true", "--health-interval", "-1s"),
                List.of("--health-cmd", "true", "--health-interval", "soon"),
                List.of("--health-cmd", "true", "--health-retries", "x"),
                List.of("--health-cmd", "true", "--health-retries", "-2"),
                List.of("--health-cmd", "true", "--no-healthcheck"))) {
            List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none"));
            a.addAll(flags);
            a.addAll(List.of("busybox", "true"));
            HutchProcess.Result r = hutch(a.toArray(String[]::new));
            assertEquals(125, r.code(), flags.toString());
            assertEquals(1, r.err().trim().lines().count(), "one line: " + r.err());
        }
        assertEquals("", hutch("ps", "-aq").out().trim(), "nothing was created");
    }
}
