package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hutch events: what the verbs did, read back from the journal every hutch process appends to —
 * the container's create, start, die (written by its monitor, with the exit code) and destroy in
 * order with docker's attributes; a follower that sees an event appended after it started; the
 * filters; a bad filter refused with one line.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EventsTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() {
        assertEquals(List.of(), roots.leftoverContainers());
        roots.close();
    }

    static Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static Result ok(String... args) {
        Result r = hutch(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /** The JSON messages of `events --since T --until now --format json` with these filters. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(long sinceSeconds, String... filters) {
        List<String> args = new ArrayList<>(List.of("events", "--since", Long.toString(sinceSeconds),
                "--until", Long.toString(System.currentTimeMillis() / 1000 + 1), "--format", "json"));
        for (String f : filters) args.addAll(List.of("--filter", f));
        Result r = ok(args.toArray(String[]::new));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.out().split("\n")) if (!line.isBlank()) out.add(Json.parseObject(line));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> attributes(Map<String, Object> event) {
        return (Map<String, String>) ((Map<String, Object>) event.get("Actor")).get("Attributes");
    }

    static List<String> actions(List<Map<String, Object>> events) {
        return events.stream().map(e -> (String) e.get("Action")).toList();
    }

    @Test
    void aRunShowsCreateStartDieAndDestroyInOrderWithDockersAttributes() {
        long since = System.currentTimeMillis() / 1000 - 1;
        String name = "ev-run-" + roots.tag();
        Result run = hutch("run", "--name", name, "--label", "team=blue", "busybox", "sh", "-c", "exit 7");
        assertEquals(7, run.code(), run.err());
        String id = ok("inspect", "-f", "{{.Id}}", name).out().trim();
        ok("rm", name);

        List<Map<String, Object>> seen = events(since, "container=" + name);
        assertEquals(List.of("create", "start", "die", "destroy"), actions(seen), seen.toString());
        for (Map<String, Object> e : seen) {
            assertEquals("container", e.get("Type"));
            assertEquals(id, ((Map<?, ?>) e.get("Actor")).get("ID"));
            assertEquals(id, e.get("id"), "docker's legacy id field");
            assertEquals(e.get("Action"), e.get("status"), "docker's legacy status field");
            assertEquals("busybox", e.get("from"));
            assertEquals("local", e.get("scope"));
            Map<String, String> a = attributes(e);
            assertEquals(name, a.get("name"));
            assertEquals("busybox", a.get("image"));
            assertEquals("blue", a.get("team"), "labels are attributes, as docker's");
            long nano = ((Number) e.get("timeNano")).longValue();
            assertEquals(nano / 1_000_000_000L, ((Number) e.get("time")).longValue());
        }
        assertEquals("7", attributes(seen.get(2)).get("exitCode"), "the monitor writes the exit code it saw");
        assertEquals(id + "\n", ok("events", "--since", Long.toString(since), "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "container=" + id.substring(0, 12), "--filter", "event=die", "--format", "{{.Actor.ID}}").out());
    }

    @Test
    void aFollowerSeesAnEventAppendedAfterItStarted() throws Exception {
        String name = "ev-follow-" + roots.tag();
        long since = System.currentTimeMillis() / 1000;
        // --since: whatever is appended between its start and its first poll is shown as history
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), "events", "--since", Long.toString(since),
                "--filter", "type=container", "--filter", "container=" + name, "--format", "{{.Action}} {{.Actor.Attributes.name}}"))
                .redirectInput(new File("/dev/null")).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        Process follower = pb.start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception ignored) {
                // the follower was ended
            }
        });
        reader.start();
        try {
            Thread.sleep(1500); // running before the event, so it is a follow, not only history
            assertTrue(follower.isAlive(), "events without --until keeps following");
            ok("create", "--name", name, "busybox", "true");
            assertEquals("create " + name, lines.poll(60, TimeUnit.SECONDS));
            ok("rm", name);
            assertEquals("destroy " + name, lines.poll(60, TimeUnit.SECONDS));
            assertTrue(follower.isAlive());
        } finally {
            follower.destroy(); // the process this test started, by its handle
            follower.waitFor(30, TimeUnit.SECONDS);
            hutch("rm", "-f", name);
        }
    }

    @Test
    void filtersByTypeLabelAndImageAndRefuseAnUnknownKey() {
        long since = System.currentTimeMillis() / 1000 - 1;
        String labelled = "ev-lab-" + roots.tag(), plain = "ev-plain-" + roots.tag(), tag = "ev-img-" + roots.tag() + ":1";
        ok("create", "--name", labelled, "--label", "pick=me", "busybox", "true");
        ok("create", "--name", plain, "busybox", "true");
        ok("tag", "busybox", tag);
        ok("rmi", tag);
        ok("rm", labelled, plain);

        List<Map<String, Object>> picked = events(since, "label=pick=me");
        assertEquals(List.of("create", "destroy"), actions(picked));
        assertTrue(picked.stream().allMatch(e -> attributes(e).get("name").equals(labelled)), picked.toString());

        List<Map<String, Object>> images = events(since, "type=image", "image=" + tag);
        assertEquals(List.of("tag", "untag"), actions(images), images.toString());
        assertTrue(images.stream().allMatch(e -> tag.startsWith(attributes(e).get("name").replace(":1", "")) && e.get("Type").equals("image")));

        List<Map<String, Object>> both = events(since, "container=" + labelled, "container=" + plain, "event=destroy");
        assertEquals(2, both.size(), "values of one key are alternatives, keys together must all hold: " + both);

        Result bad = hutch("events", "--filter", "colour=red", "--until", "1");
        assertEquals(125, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("colour"), bad.err());
    }
}
