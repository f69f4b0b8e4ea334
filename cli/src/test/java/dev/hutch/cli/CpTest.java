package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hutch cp both ways, checked from both sides: the bytes, modes and (with -a) owners the host
 * sees in the files it got, and what the container sees in the files it got (by exec, or in its
 * upper dir once stopped); "dir/." copies content; a tar on stdin and stdout; a stopped
 * container; links inside the container (its own, or ones a tar brings) never lead to the host;
 * bad input refused with one line.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CpTest {
    static TestRoots roots;
    static String box;
    static Path host;

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        host = Files.createDirectories(roots.dir().resolve("host"));
        // a host dir with a file a container link will point at: the copies must never reach it
        Files.createDirectories(host.resolve("secret"));
        Files.writeString(host.resolve("secret/marker"), "host only\n");
        box = "cp-" + roots.tag();
        Result r = hutch("run", "-d", "--name", box, "--network", "none", "busybox", "sh", "-c",
                "mkdir -p /d/sub && echo hello > /d/a && echo deep > /d/sub/b && chown 1234:5678 /d/a && chmod 640 /d/a"
                        + " && ln -s " + "/../../../.." + host.resolve("secret") + " /esc && ln -s ../../../../../.." + host + " /rel"
                        + " && exec sleep 300");
        assertEquals(0, r.code(), r.err());
    }

    @AfterAll
    static void tearDown() {
        if (roots == null) return;
        try {
            if (box != null) hutch("rm", "-f", box);
            assertEquals(List.of(), roots.leftoverContainers());
            assertFalse(mounted(), "a cp mount left in /proc/mounts");
        } finally {
            roots.close();
        }
    }

    static Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static Result hutchWithInput(byte[] in, String... args) {
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), args));
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        return HutchProcess.shown(HutchProcess.capture(pb, in, args[0]), args);
    }

    static boolean mounted() {
        try {
            return Files.readString(Path.of("/proc/self/mountinfo")).contains(roots.dir().toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int attr(Path p, String name) throws Exception { return (Integer) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS); }

    static String inside(String... cmd) {
        List<String> args = new ArrayList<>(List.of("exec", box));
        args.addAll(List.of(cmd));
        Result r = hutch(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void aDirectoryComesOutWithItsModesAndOwnersOnlyWithArchiveMode() throws Exception {
        Path out = Files.createDirectories(host.resolve("out1"));
        assertEquals(0, hutch("cp", box + ":/d", out.toString()).code());
        Path a = out.resolve("d/a");
        assertEquals("hello\n", Files.readString(a));
        assertEquals("deep\n", Files.readString(out.resolve("d/sub/b")));
        assertEquals(0640, attr(a, "mode") & 07777, "the mode is kept");
        assertEquals(0, attr(a, "uid"), "without -a the file is the caller's (root)");

        assertEquals(0, hutch("cp", "-a", box + ":/d/.", out.resolve("content").toString()).code());
        Path a2 = out.resolve("content/a");
        assertEquals("hello\n", Files.readString(a2), "d/. into a new dir: the content, not d itself");
        assertFalse(Files.exists(out.resolve("content/d")));
        assertEquals(1234, attr(a2, "uid"), "-a keeps the owner");
        assertEquals(5678, attr(a2, "gid"));

        assertEquals(0, hutch("cp", box + ":/d/a", out.resolve("renamed").toString()).code());
        assertEquals("hello\n", Files.readString(out.resolve("renamed")), "a file to a new name");
    }

    @Test
    void hostFilesGoInWithOwnersOnlyWithArchiveMode() throws Exception {
        Path src = Files.createDirectories(host.resolve("in/tree"));
        Files.writeString(src.resolve("f"), "from the host\n");
        Files.setAttribute(src.resolve("f"), "unix:mode", 0604);
        Files.setAttribute(src.resolve("f"), "unix:uid", 4321);
        Files.setAttribute(src.resolve("f"), "unix:gid", 8765);
        assertEquals(0, hutch("cp", src.toString(), box + ":/tmp/").code());
        assertEquals("from the host\n", inside("cat", "/tmp/tree/f"));
        assertEquals("604 0:0", inside("stat", "-c", "%a %u:%g", "/tmp/tree/f").trim(), "mode kept, owner the container's root");
        assertEquals(0, hutch("cp", "-a", src.resolve("f").toString(), box + ":/tmp/g").code());
        assertEquals("604 4321:8765", inside("stat", "-c", "%a %u:%g", "/tmp/g").trim(), "-a keeps the host owner");
    }

    @Test
    void tarOnStdoutAndStdin() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(HutchProcess.command(List.of(), "cp", box + ":/d/a", "-"));
        pb.environment().putAll(roots.environment());
        HutchProcess.withServiceEnvironment(pb);
        Process p = pb.redirectInput(new java.io.File("/dev/null")).start();
        byte[] tar = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e = in.getNextTarEntry();
            assertEquals("a", e.getName());
            assertEquals(1234, e.getLongUserId());
            assertEquals("hello\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        byte[] mine = tar(List.of(file("x/y.txt", "via stdin\n")));
        assertEquals(0, hutchWithInput(mine, "cp", "-", box + ":/tmp").code());
        assertEquals("via stdin\n", inside("cat", "/tmp/x/y.txt"));
    }

    @Test
    void linksInTheContainerNeverReachTheHost() throws Exception {
        // its own links, absolute and relative, resolve inside it: the host's marker is not read...
        Result r = hutch("cp", box + ":/esc/marker", host.resolve("stolen").toString());
        assertNotEquals(0, r.code());
        assertFalse(Files.exists(host.resolve("stolen")), "the host's file was not copied out through /esc");
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r = hutch("cp", "-L", box + ":/rel", host.resolve("stolen2").toString());
        assertNotEquals(0, r.code(), "/rel leads to a path the container does not have");
        assertFalse(Files.exists(host.resolve("stolen2")));
        // ...and nothing is written there
        Path f = Files.writeString(host.resolve("payload"), "pwned\n");
        hutch("cp", f.toString(), box + ":/esc/");
        hutch("cp", f.toString(), box + ":/rel/secret/payload");
        // a tar that makes a link and then writes through it lands inside the container
        byte[] evil = tar(List.of(symlink("jump", host.resolve("secret").toString()), file("jump/payload", "pwned\n")));
        assertEquals(0, hutchWithInput(evil, "cp", "-", box + ":/tmp").code());
        try (var s = Files.list(host.resolve("secret"))) {
            assertEquals(List.of(host.resolve("secret/marker")), s.toList(), "the host's dir is as it was");
        }
        assertEquals("host only\n", Files.readString(host.resolve("secret/marker")));
        assertEquals("pwned\n", inside("cat", host.resolve("secret/payload").toString()), "written under the container's own root");
    }

    @Test
    void aStoppedContainerIsCopiedFromAndIntoThroughItsLayers() throws Exception {
        String name = "cp-stopped-" + roots.tag();
        Result r = hutch("run", "--name", name, "--network", "none", "busybox", "sh", "-c", "echo made > /made");
        assertEquals(0, r.code(), r.err());
        try {
            Path out = host.resolve("stopped-made");
            assertEquals(0, hutch("cp", name + ":/made", out.toString()).code());
            assertEquals("made\n", Files.readString(out));
            assertEquals(0, hutch("cp", out.toString(), name + ":/etc/added").code());
            assertFalse(mounted(), "the overlay mounted for the copy is gone");
            String upper = hutch("inspect", "-f", "{{.GraphDriver.upperDir}}", name).out().trim();
            assertEquals("made\n", Files.readString(Path.of(upper, "etc/added")), "in the container's writable layer");
            Result again = hutch("start", "-a", name);
            assertEquals(0, again.code(), again.err());
            assertEquals(0, hutch("cp", name + ":/etc/added", host.resolve("round").toString()).code());
            assertEquals("made\n", Files.readString(host.resolve("round")));
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void badInputIsOneLineAndChangesNothing() throws Exception {
        Path before = host.resolve("nothing");
        for (String[] args : List.of(new String[] {"cp", box + ":/d"}, new String[] {"cp", "/a", "/b"},
                new String[] {"cp", box + ":/d", box + ":/e"}, new String[] {"cp", "nosuch-" + roots.tag() + ":/x", before.toString()},
                new String[] {"cp", box + ":/d/a/", before.toString()}, new String[] {"cp", box + ":/d", host.resolve("in-file").toString()},
                new String[] {"cp", box + ":/nope", before.toString()}, new String[] {"cp", "--bogus", box + ":/d", before.toString()})) {
            if (args[args.length - 1].endsWith("in-file")) Files.writeString(host.resolve("in-file"), "x");
            Result r = hutch(args);
            assertNotEquals(0, r.code(), String.join(" ", args));
            assertTrue(r.err().strip().lines().count() <= 2 && !r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(before), "nothing was made for " + String.join(" ", args));
        }
        assertEquals(1, hutch("cp", box + ":/nope", before.toString()).code(), "docker's exit code for a missing path");
    }

    record Item(String name, String content, String link) {}

    static Item file(String name, String content) { return new Item(name, content, null); }

    static Item symlink(String name, String target) { return new Item(name, null, target); }

    static byte[] tar(List<Item> items) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            for (Item i : items) {
                TarArchiveEntry e;
                if (i.link() != null) {
                    e = new TarArchiveEntry(i.name(), TarConstants.LF_SYMLINK);
                    e.setLinkName(i.link());
                    t.putArchiveEntry(e);
                } else {
                    byte[] c = i.content().getBytes(StandardCharsets.UTF_8);
                    e = new TarArchiveEntry(i.name());
                    e.setSize(c.length);
                    e.setMode(0644);
                    t.putArchiveEntry(e);
                    t.write(c);
                }
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }
    /**
     * A container made by hutch create and never started: cp into it makes its writable layer
     * (with --userns=auto, the copy belongs to the container's root once it starts); the command
     * then reads the file; rm takes the layer away.
     */
    @Test
    void aCopyIntoACreatedContainerIsThereWhenItStartsInItsUserNamespaceToo() throws Exception {
        String name = "cpc-" + roots.tag();
        Result created = hutch("create", "--name", name, "--userns=auto", "--network", "none", "busybox",
                "sh", "-c", "stat -c '%u %n' /etc/copied; cat /etc/copied");
        assertEquals(0, created.code(), created.err());
        String id = created.out().trim();
        try {
            Path f = Files.writeString(host.resolve("to-created"), "before the first start\n");
            assertEquals(0, hutch("cp", f.toString(), name + ":/etc/copied").code());
            assertFalse(mounted(), "the copy's overlay mount is gone after it");
            Result started = hutch("start", "-a", name);
            assertEquals(0, started.code(), started.err());
            assertEquals("0 /etc/copied\nbefore the first start\n", started.out(), "root's inside the container's user namespace");
        } finally {
            hutch("rm", "-f", name);
        }
        assertFalse(Files.exists(roots.config().containerDataDir(id)), "rm took its writable layer");
    }
}
