package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real docker CLI's {@code docker cp} against hutch's archive endpoints (HEAD, GET, PUT
 * /containers/{id}/archive) on a private service: files and directories both ways, "dir/.", -a,
 * -L, a stopped container, and docker's own error for a path that is not there; archives past
 * the 16 MiB cap of a body read whole (the PUT streams), and a tar that breaks halfway.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerCpTest {
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

    static Result docker(String... args) throws Exception {
        Result r = cli.run(null, args);
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

    /**
     * docker create, docker cp into the container before it ever ran, docker start -a: the file is
     * there when its command runs (what Testcontainers' copy-before-start does). The created
     * container is a real one on disk meanwhile: docker inspect says "created", hutch ps -a (the
     * engine's own listing, not the API's) lists it, and its writable layer holds the file.
     */
    @Test
    void dockerCpIntoACreatedContainerIsThereWhenItStarts() throws Exception {
        String name = "dkcpc-" + roots.tag();
        String id = ok("create", "--name", name, "--network", "none", "busybox", "cat", "/etc/greeting", "/tmp/in/f").out().trim();
        try {
            assertEquals("created 0", ok("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", name).out().trim());
            assertTrue(Files.isDirectory(roots.config().containerStateDir(id)), "created: the engine's record on the host");
            var ps = dev.hutch.cli.HutchProcess.runShown(roots.environment(), "ps", "-a", "--no-trunc");
            assertEquals(0, ps.code(), ps.toString());
            assertTrue(ps.out().lines().anyMatch(l -> l.contains(id) && l.contains(name) && l.contains("Created")), ps.out());

            Path host = Files.createDirectories(roots.dir().resolve("created-in"));
            Files.writeString(host.resolve("greeting"), "copied before the start\n");
            Files.createDirectories(host.resolve("in"));
            Files.writeString(host.resolve("in/f"), "a directory too\n");
            ok("cp", host.resolve("greeting").toString(), name + ":/etc/greeting");
            ok("cp", host.resolve("in").toString(), name + ":/tmp/");
            assertEquals("created", ok("inspect", "--format", "{{.State.Status}}", name).out().trim(), "a copy does not start it");
            assertTrue(Files.isRegularFile(roots.config().containerDataDir(id).resolve("upper/etc/greeting"))
                    || Files.isRegularFile(roots.config().containerDataDir(id).resolve("rootfs/etc/greeting")), "in its writable layer");

            Result started = docker("start", "-a", name);
            assertEquals(0, started.code(), started.toString());
            assertEquals("copied before the start\na directory too\n", started.out());
            ok("cp", name + ":/etc/greeting", host.resolve("back").toString());
            assertEquals("copied before the start\n", Files.readString(host.resolve("back")), "and out again after it ran");
        } finally {
            docker("rm", "-f", name);
        }
        assertFalse(Files.exists(roots.config().containerStateDir(id)), "rm removed its record");
        assertFalse(Files.exists(roots.config().containerDataDir(id)), "and its writable layer");
    }

    /**
     * A created container is the engine's record, not the service's memory: it outlives the
     * service (stopped, a new one started on the same roots), and starts then with what was
     * copied into it before.
     */
    @Test
    void aCreatedContainerOutlivesTheServiceAndStartsUnderTheNextOne() throws Exception {
        String name = "dkcpr-" + roots.tag();
        String id = ok("create", "--name", name, "--network", "none", "busybox", "cat", "/kept").out().trim();
        try {
            Path f = Files.writeString(roots.dir().resolve("kept"), "kept over the restart\n");
            ok("cp", f.toString(), name + ":/kept");
            long before = cli.servicePid();
            cli.restartService();
            assertNotEquals(before, cli.servicePid(), "a new service");
            assertEquals(id + " created", ok("ps", "-a", "--no-trunc", "--filter", "name=" + name, "--format", "{{.ID}} {{.State}}").out().trim());
            Result started = docker("start", "-a", name);
            assertEquals(0, started.code(), started.toString());
            assertEquals("kept over the restart\n", started.out());
        } finally {
            docker("rm", "-f", name);
        }
        assertFalse(Files.exists(roots.config().containerStateDir(id)));
    }

    /**
     * docker cp of 40 MiB of random data (past the 16 MiB cap of a body read whole: the PUT
     * unpacks as the body arrives) into a running container (a directory), a stopped one and a
     * created one; the checksum is compared inside each container. The service's peak RSS is
     * printed as the measure of memory.
     */
    @Test
    void dockerCpOfFortyMebibytesStreamsIntoRunningStoppedAndCreatedContainers() throws Exception {
        String running = "dkbig-" + roots.tag(), created = "dkbigc-" + roots.tag();
        Path dir = Files.createDirectories(roots.dir().resolve("big/bigdir"));
        byte[] data = new byte[40 << 20];
        new Random(14).nextBytes(data);
        Path blob = Files.write(dir.resolve("blob"), data);
        Files.writeString(dir.resolve("small"), "small\n");
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        data = null;
        System.out.println("service before: " + peakRss(cli.servicePid()));
        try {
            ok("run", "-d", "--name", running, "--network", "none", "busybox", "sleep", "300");
            ok("cp", dir.toString(), running + ":/tmp/");
            assertEquals(sum, ok("exec", running, "sha256sum", "/tmp/bigdir/blob").out().split("\\s+")[0], "a directory into a running one");
            assertEquals("small\n", ok("exec", running, "cat", "/tmp/bigdir/small").out());

            ok("stop", "-t", "1", running);
            ok("cp", blob.toString(), running + ":/stopped-blob");
            ok("start", running);
            assertEquals(sum, ok("exec", running, "sha256sum", "/stopped-blob").out().split("\\s+")[0], "a file into a stopped one");

            ok("create", "--name", created, "--network", "none", "busybox", "sha256sum", "/created-blob");
            ok("cp", blob.toString(), created + ":/created-blob");
            Result r = docker("start", "-a", created);
            assertEquals(0, r.code(), r.toString());
            assertEquals(sum, r.out().split("\\s+")[0], "a file into a created one, there when it starts");
            System.out.println("service after three 40 MiB copies in: " + peakRss(cli.servicePid()));
        } finally {
            docker("rm", "-f", running, created);
        }
    }

    /**
     * A tar that breaks inside its second file (the body complete as sent: the archive itself is
     * cut): docker's 500 "Error processing tar file", the entry finished before it stays, no half
     * of the broken file stays (nor anything outside the target), and the same connection serves
     * the next request.
     */
    @Test
    void aTarThatBreaksHalfwayKeepsWhatWasFinishedLeavesNoHalfFileAndTheConnectionServesOn() throws Exception {
        String name = "dkbroken-" + roots.tag();
        ok("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c", "mkdir /target && exec sleep 300");
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            byte[] whole = "finished\n".getBytes(StandardCharsets.UTF_8);
            byte[] big = new byte[1 << 20];
            new Random(7).nextBytes(big);
            try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
                TarArchiveEntry a = new TarArchiveEntry("whole");
                a.setSize(whole.length);
                t.putArchiveEntry(a);
                t.write(whole);
                t.closeArchiveEntry();
                TarArchiveEntry b = new TarArchiveEntry("half");
                b.setSize(big.length);
                t.putArchiveEntry(b);
                t.write(big);
                t.closeArchiveEntry();
            }
            byte[] cut = java.util.Arrays.copyOf(tar.toByteArray(), 512 + 512 + 512 + (300 << 10)); // whole's header and data, half's header, 300 KiB of it
            try (RawHttp http = new RawHttp(cli.socket())) {
                RawHttp.Answer broken = http.exchange("PUT", "/v1.41/containers/" + name + "/archive?path=/target", "application/x-tar", cut);
                assertEquals(500, broken.status(), broken.body());
                assertTrue(broken.body().contains("Error processing tar file"), broken.body());
                RawHttp.Answer ping = http.exchange("GET", "/_ping", null, new byte[0]);
                assertEquals(200, ping.status(), "the connection carries the next request");
                assertEquals("OK", ping.body());
            }
            assertEquals("whole", ok("exec", name, "ls", "/target").out().trim(), "the finished entry stays, no half of the broken one");
            assertEquals("finished\n", ok("exec", name, "cat", "/target/whole").out());
            assertEquals(1, docker("exec", name, "ls", "/half").code(), "nothing outside the target");
        } finally {
            docker("rm", "-f", name);
        }
    }

    static String peakRss(long pid) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS"))
                .map(l -> l.replaceAll("\\s+", " ")).reduce((x, y) -> x + ", " + y).orElse("?");
    }
}
