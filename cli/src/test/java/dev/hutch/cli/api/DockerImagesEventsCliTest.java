package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real docker CLI against a private `hutch engine serve`, for the image verbs and the events
 * stream (DockerCliTest's pattern): docker tag, rmi (404 and 409 as docker answers), history,
 * commit with changes, save piped into load, and docker events over a window and followed, with
 * the events the monitor and the attach paths write (attach, resize, health_status, oom); load and
 * import of archives over the API's 16 MiB body cap, streamed, and truncated ones refused with no
 * layer left. Each effect is checked from outside too: the committed file is read by a new
 * container, the image's config by inspect, the saved archive's entries on disk, the resized
 * terminal by stty in the container, the layer store's directory.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerImagesEventsCliTest {
    static DockerCli cli;
    static TestRoots roots;

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli != null) cli.close(); // no container left, roots removed
    }

    static Result docker(String... args) throws IOException, InterruptedException {
        Result r = cli.run(null, args);
        System.out.println("$ docker " + String.join(" ", args) + "  -> " + r);
        return r;
    }

    static Result ok(String... args) throws IOException, InterruptedException {
        Result r = docker(args);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ":\n" + r);
        return r;
    }

    String name(String what) { return "dk-" + what + "-" + roots.tag(); }

    @Test
    void tagHistoryAndRmiAnswerAsDockerDoes() throws Exception {
        String tag = name("tagged") + ":v1";
        ok("tag", "busybox", tag);
        assertEquals(ok("image", "inspect", "-f", "{{.Id}}", "busybox").out(), ok("image", "inspect", "-f", "{{.Id}}", tag).out(),
                "the same image under another name");
        Result history = ok("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}", tag);
        assertFalse(history.out().isBlank(), history.toString());
        assertTrue(history.out().lines().findFirst().orElseThrow().startsWith("sha256:"), "the top row is the image: " + history);

        assertEquals("Untagged: " + tag + "\n", ok("rmi", tag).out(), "one of two names: only untagged");
        assertNotEquals(0, docker("image", "inspect", tag).code(), "the name is gone");
        ok("image", "inspect", "busybox");

        Result missing = docker("rmi", name("nosuch") + ":1");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("No such image"), missing.toString());
        Result badTag = docker("tag", name("nosuch") + ":1", name("x"));
        assertNotEquals(0, badTag.code());
        assertTrue(badTag.err().contains("No such image"), badTag.toString());
    }

    @Test
    void commitWithChangesThenSaveIntoLoadAndRmiOfAnImageInUseIsAConflict() throws Exception {
        String c = name("src"), image = name("committed") + ":1", user = name("user");
        ok("run", "-d", "--name", c, "busybox", "sh", "-c", "echo from-container > /made; exec sleep 300");
        try {
            // the file is written before commit copies the layer
            for (int i = 0; i < 100 && !ok("exec", c, "cat", "/made").out().equals("from-container\n"); i++) Thread.sleep(100);
            String id = ok("commit", "-c", "ENV COLOUR=green", "-c", "CMD [\"cat\", \"/made\"]", "-m", "a message", "-a", "tester", c, image)
                    .out().trim();
            assertTrue(id.startsWith("sha256:"), id);
            assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", c).out().trim(), "unfrozen again after the commit");
            assertTrue(ok("image", "inspect", "-f", "{{.Config.Env}}", image).out().contains("COLOUR=green"));
            assertEquals("tester\n", ok("image", "inspect", "-f", "{{.Author}}", image).out());
            assertEquals("from-container\n", ok("run", "--rm", image).out(), "the committed layer and CMD, read by a new container");
        } finally {
            ok("rm", "-f", c);
        }

        Path archive = roots.dir().resolve("saved.tar");
        ok("save", "-o", archive.toString(), image);
        assertTrue(Files.size(archive) > 1024, "a docker-archive tar");
        Process list = new ProcessBuilder("tar", "-tf", archive.toString()).redirectErrorStream(true).start();
        String entries = new String(list.getInputStream().readAllBytes());
        assertTrue(entries.contains("manifest.json"), entries);
        assertTrue(ok("rmi", image).out().contains("Deleted: sha256:"), "its only name: the image goes");
        assertNotEquals(0, docker("image", "inspect", image).code());
        Result loaded = ok("load", "-i", archive.toString());
        assertTrue(loaded.out().contains("Loaded image: " + image), loaded.toString());
        assertEquals("from-container\n", ok("run", "--rm", image).out(), "the loaded image runs");

        ok("create", "--name", user, image);
        try {
            Result inUse = docker("rmi", image);
            assertEquals(1, inUse.code(), inUse.toString());
            assertTrue(inUse.err().contains("conflict"), "docker's 409: " + inUse);
            ok("image", "inspect", image);
        } finally {
            ok("rm", user);
        }
        ok("rmi", image);
        Files.delete(archive);
    }

    @Test
    void dockerEventsShowsARunsLifecycleAndFollowsNewEvents() throws Exception {
        String c = name("ev"), later = name("ev-later");
        long since = System.currentTimeMillis() / 1000 - 1;
        Result run = docker("run", "--name", c, "busybox", "sh", "-c", "exit 3");
        assertEquals(3, run.code(), run.toString());
        ok("rm", c);
        Result window = ok("events", "--since", Long.toString(since), "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "container=" + c, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}");
        List<String> lines = window.out().lines().toList();
        assertEquals(List.of("container create " + c + " <no value>", "container attach " + c + " <no value>",
                "container start " + c + " <no value>", "container die " + c + " 3", "container destroy " + c + " <no value>"),
                lines, "docker run: create, attach, start, die, as dockerd tells it\n" + window);

        Process follower = cli.command("events", "--filter", "type=container", "--filter", "container=" + later,
                "--format", "{{.Action}} {{.Actor.Attributes.name}}").redirectInput(new File("/dev/null"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(16);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) seen.add(l);
            } catch (IOException ignored) {
                // ended by the test
            }
        });
        reader.start();
        try {
            Thread.sleep(1500); // its request is under way before the event
            ok("create", "--name", later, "busybox", "true");
            assertEquals("create " + later, seen.poll(60, TimeUnit.SECONDS));
            ok("rm", later);
            assertEquals("destroy " + later, seen.poll(60, TimeUnit.SECONDS));
        } finally {
            follower.destroy(); // the process this test started
            follower.waitFor(30, TimeUnit.SECONDS);
            docker("rm", "-f", later);
        }
    }

    /** docker events over a window from {@code since} (seconds) to now, with these filters, formatted; polled until {@code done}. */
    static List<String> eventsUntil(long since, java.util.function.Predicate<List<String>> done, String format, String... filters)
            throws Exception {
        List<String> lines = List.of();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < end; Thread.sleep(300)) {
            List<String> args = new java.util.ArrayList<>(List.of("events", "--since", Long.toString(since),
                    "--until", Long.toString(System.currentTimeMillis() / 1000 + 1), "--format", format));
            for (String f : filters) args.addAll(List.of("--filter", f));
            lines = ok(args.toArray(String[]::new)).out().lines().toList();
            if (done.test(lines)) return lines;
        }
        return lines;
    }

    @Test
    void attachingAndResizingARunningContainerAreEvents() throws Exception {
        String c = name("att");
        long since = System.currentTimeMillis() / 1000 - 1;
        ok("run", "-d", "-t", "--name", c, "busybox", "sleep", "300");
        Process attach = cli.command("attach", "--no-stdin", c).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            List<String> attached = eventsUntil(since, l -> !l.isEmpty(), "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.image}}",
                    "event=attach", "container=" + c);
            assertEquals(List.of("container attach " + c + " busybox"), attached, "docker attach, seen by docker events");

            // the resize docker sends from a terminal, through the same socket
            Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", cli.socket().toString(),
                    "-X", "POST", "http://hutch/v1.41/containers/" + c + "/resize?h=40&w=120").redirectErrorStream(true).start();
            assertEquals("200", new String(curl.getInputStream().readAllBytes()).trim());
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            List<String> resized = eventsUntil(since, l -> !l.isEmpty(), "{{.Action}} {{.Actor.Attributes.height}} {{.Actor.Attributes.width}} {{.Actor.Attributes.name}}",
                    "type=container", "event=resize", "container=" + c);
            assertEquals(List.of("resize 40 120 " + c), resized, "docker's resize event with the size asked for");
            // and the detached container's own pty has that size (its command's stdin is /dev/pts/0 inside)
            assertEquals("40 120", ok("exec", c, "stty", "-F", "/dev/pts/0", "size").out().trim(), "the detached container's terminal was resized");
        } finally {
            attach.destroy(); // the process this test started
            attach.waitFor(30, TimeUnit.SECONDS);
            ok("rm", "-f", c);
        }

        // a -t container in docker run's foreground: the API relays its pty, the monitor gives the
        // container the new size and writes the event
        String fg = name("att-fg");
        Path out = roots.dir().resolve("fg-out.txt");
        Process run = cli.command("run", "-t", "--name", fg, "busybox", "sh", "-c", "sleep 3; stty size").redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 100 && ok("ps", "-q", "--filter", "name=" + fg).out().isBlank(); i++) Thread.sleep(100);
            Thread.sleep(500); // the API holds its pty (ps shows it a moment before); the command still sleeps
            Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", cli.socket().toString(),
                    "-X", "POST", "http://hutch/v1.41/containers/" + fg + "/resize?h=33&w=77").redirectErrorStream(true).start();
            assertEquals("200", new String(curl.getInputStream().readAllBytes()).trim());
            assertTrue(run.waitFor(60, TimeUnit.SECONDS));
            assertEquals("33 77", Files.readString(out).trim(), "the container's own terminal has the new size");
            List<String> resized = eventsUntil(since, l -> !l.isEmpty(), "{{.Action}} {{.Actor.Attributes.height}} {{.Actor.Attributes.width}} {{.Actor.Attributes.name}}",
                    "event=resize", "container=" + fg);
            assertEquals(List.of("resize 33 77 " + fg), resized, "one event, from the monitor");
        } finally {
            run.destroy();
            run.waitFor(30, TimeUnit.SECONDS);
            docker("rm", "-f", fg);
        }
    }

    @Test
    void aHealthCheckThatStartsFailingIsAHealthyThenAnUnhealthyEvent() throws Exception {
        String c = name("health");
        long since = System.currentTimeMillis() / 1000 - 1;
        ok("run", "-d", "--name", c, "--health-cmd", "test ! -e /tmp/bad", "--health-interval", "1s", "--health-retries", "1",
                "busybox", "sh", "-c", "sleep 3; touch /tmp/bad; exec sleep 300");
        try {
            // event=health_status matches "health_status: healthy" as docker's filter does
            List<String> seen = eventsUntil(since, l -> l.size() >= 2, "{{.Action}}|{{.Actor.ID}}|{{.Actor.Attributes.name}}",
                    "event=health_status", "container=" + c);
            String id = ok("inspect", "-f", "{{.Id}}", c).out().trim();
            assertEquals(List.of("health_status: healthy|" + id + "|" + c, "health_status: unhealthy|" + id + "|" + c), seen,
                    "one event a change, none for the checks that changed nothing");
            assertEquals("unhealthy\n", ok("inspect", "-f", "{{.State.Health.Status}}", c).out(), "inspect agrees");
            assertEquals(List.of("health_status: unhealthy"), eventsUntil(since, l -> !l.isEmpty(), "{{.Action}}",
                    "event=health_status: unhealthy", "container=" + c), "the full action matches too");
        } finally {
            ok("rm", "-f", c);
        }
    }

    @Test
    void aContainerTheKernelOomKillsIsAnOomEventAndOomKilledInInspect() throws Exception {
        String c = name("oom");
        long since = System.currentTimeMillis() / 1000 - 1;
        // dd's 64 MiB buffer, in 8 MiB of memory: the kernel kills it
        Result run = docker("run", "--name", c, "-m", "8m", "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        try {
            assertEquals(137, run.code(), run.toString());
            assertEquals("true 137\n", ok("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", c).out());
            List<String> seen = eventsUntil(since, l -> l.size() >= 2, "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}",
                    "event=oom", "event=die", "container=" + c);
            assertEquals(List.of("oom " + c + " <no value>", "die " + c + " 137"), seen, "docker's oom, then the die");
        } finally {
            ok("rm", "-f", c);
        }
        String fine = name("no-oom");
        assertEquals(0, docker("run", "--name", fine, "-m", "64m", "busybox", "true").code());
        try {
            assertEquals("false\n", ok("inspect", "-f", "{{.State.OOMKilled}}", fine).out());
            assertEquals(List.of("die 0"), eventsUntil(since, l -> !l.isEmpty(), "{{.Action}} {{.Actor.Attributes.exitCode}}",
                    "event=oom", "event=die", "container=" + fine), "no oom event for a container that was not killed");
        } finally {
            ok("rm", "-f", fine);
        }
    }

    /** The layers in the store and what is under its tmp dir: what a refused archive must leave as it found. */
    static List<String> layerStore() throws IOException {
        Path layers = roots.config().layersDir();
        List<String> out = new java.util.ArrayList<>();
        for (String sub : List.of("sha256", "tmp")) {
            Path d = layers.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (var s = Files.list(d)) {
                s.forEach(p -> out.add(sub + "/" + p.getFileName()));
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    static Path truncatedCopy(Path tar, long bytes) throws IOException {
        Path cut = tar.resolveSibling("cut-" + tar.getFileName());
        try (var in = Files.newInputStream(tar); var out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes((int) bytes));
        }
        return cut;
    }

    @Test
    void loadAndImportTakeArchivesOverTheBodyCapAndRefuseATruncatedOneLeavingNoLayer() throws Exception {
        String src = name("big-src"), image = name("big") + ":1", imported = name("big-imported") + ":1";
        long size = 20L << 20; // a random layer over the 16 MiB a request body read whole may have
        String sum = ok("run", "--name", src, "busybox", "sh", "-c", "head -c " + size + " /dev/urandom > /big && md5sum /big").out();
        Path saved = roots.dir().resolve("big.tar"), exported = roots.dir().resolve("big-fs.tar");
        try {
            ok("commit", src, image);
            // hutch's own export (the API has none yet), on the service's roots
            var export = dev.hutch.cli.HutchProcess.runShown(roots.environment(), "export", "-o", exported.toString(), src);
            assertEquals(0, export.code(), export.err());
        } finally {
            ok("rm", src);
        }
        ok("save", "-o", saved.toString(), image);
        assertTrue(Files.size(saved) > HttpRequest.MAX_BODY + (1L << 20), "the archive is over the cap: " + Files.size(saved));
        assertTrue(Files.size(exported) > HttpRequest.MAX_BODY + (1L << 20), "the export too: " + Files.size(exported));
        ok("rmi", image);
        List<String> before = layerStore();

        // cut inside the big layer: refused with docker's error, and nothing of it stays
        Path cut = truncatedCopy(saved, Files.size(saved) / 2);
        Result refused = docker("load", "-i", cut.toString());
        assertNotEquals(0, refused.code(), refused.toString());
        assertTrue(refused.err().contains("Error response from daemon"), "docker's error shape: " + refused);
        assertNotEquals(0, docker("image", "inspect", image).code(), "no image");
        assertEquals(before, layerStore(), "no layer, no staging dir left behind");
        Path cutFs = truncatedCopy(exported, Files.size(exported) / 2);
        Result refusedImport = docker("import", cutFs.toString(), imported);
        assertNotEquals(0, refusedImport.code(), refusedImport.toString());
        assertTrue(refusedImport.err().contains("Error response from daemon"), "docker's error shape: " + refusedImport);
        assertEquals(before, layerStore(), "a truncated import leaves nothing either");
        ok("version"); // the service is fine after both (the rest of each body was read and dropped)

        Result loaded = ok("load", "-i", saved.toString());
        assertTrue(loaded.out().contains("Loaded image: " + image), loaded.toString());
        assertEquals(sum, ok("run", "--rm", image, "md5sum", "/big").out(), "the loaded image runs, its big file whole");
        String importedId = ok("import", exported.toString(), imported).out().trim();
        assertTrue(importedId.startsWith("sha256:"), importedId);
        assertEquals(sum, ok("run", "--rm", imported, "md5sum", "/big").out(), "the imported image runs, its big file whole");
        ok("rmi", image);
        ok("rmi", imported);
        for (Path p : List.of(saved, exported, cut, cutFs)) Files.delete(p);
    }
}
