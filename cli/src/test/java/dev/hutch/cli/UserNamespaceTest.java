package dev.hutch.cli;

import dev.hutch.state.Step;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import dev.hutch.userns.IdRange;
import dev.hutch.userns.SubIdFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code --userns=auto}: root inside is an unprivileged, unmapped uid outside. Every check looks
 * from the host where it can: the uids in /proc/PID/status, the maps in /proc/PID/uid_map, the
 * owners of files on disk, the lease files, the port answering on loopback.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class UserNamespaceTest {
    static TestRoots roots;
    static IdRange hutchRange;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        // hutch's own entry: added by the first mapped run if missing, never changed after
        hutchRange = SubIdFile.host().ensureHutchRange();
    }

    @AfterAll
    static void tearDown() { roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static String ok(String... args) {
        HutchProcess.Result r = hutch(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    static long initPid(String name) { return Long.parseLong(ok("inspect", "-f", "{{.State.Pid}}", name).trim()); }

    static String id(String name) { return ok("inspect", "-f", "{{.Id}}", name).trim(); }

    /** The four uids (real, effective, saved, fs) of a host process, read from the host. */
    static List<Long> uids(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (line.startsWith(field + ":"))
                return java.util.Arrays.stream(line.substring(field.length() + 1).trim().split("\\s+")).map(Long::parseLong).toList();
        throw new AssertionError(field + " missing in /proc/" + pid + "/status");
    }

    /** {@code [insideStart, hostStart, count]} of a process's single uid_map line, read from the host. */
    static long[] uidMap(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/uid_map")).trim().split("\\s+");
        assertEquals(3, f.length, "one line in the uid_map of " + pid);
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    static Path lease(String id) { return roots.config().libRoot().resolve("userns/leases").resolve(id); }

    static long owner(Path p) throws Exception {
        return Integer.toUnsignedLong((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void rootInsideIsAnUnmappedHighUidOutsideAndExecSeesTheSameMap() throws Exception {
        String name = "uns-root-" + roots.tag();
        ok("run", "-d", "--network", "none", "--userns=auto", "--name", name, "busybox", "sleep", "300");
        try {
            long pid = initPid(name);
            long[] map = uidMap(pid);
            assertEquals(0, map[0]);
            assertEquals(65536, map[2]);
            assertTrue(hutchRange.contains(map[1]) && hutchRange.contains(map[1] + map[2] - 1),
                    "the container's range " + map[1] + "+" + map[2] + " lies in hutch's subordinate range " + hutchRange);
            // init and the command: the host sees the range's first uid, never 0
            long command = Long.parseLong(Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim().split("\\s+")[0]);
            for (long p : new long[] {pid, command}) {
                assertEquals(List.of(map[1], map[1], map[1], map[1]), uids(p, "Uid"), "uids of " + p);
                assertEquals(List.of(map[1], map[1], map[1], map[1]), uids(p, "Gid"), "gids of " + p);
            }
            assertEquals(map[1] + " " + map[2], Files.readString(lease(id(name))).trim(), "the lease file holds the range");
            String gidMap = Files.readString(Path.of("/proc/" + pid + "/gid_map")).trim();
            assertEquals("0 " + map[1] + " 65536", gidMap.replaceAll("\\s+", " "));

            String inside = ok("exec", name, "sh", "-c", "id -u; id -g; cat /proc/self/uid_map");
            List<String> lines = inside.lines().toList();
            assertEquals("0", lines.get(0));
            assertEquals("0", lines.get(1));
            assertEquals("0 " + map[1] + " 65536", lines.get(2).trim().replaceAll("\\s+", " "), "exec joined the same user namespace");
            // /sys of its own network namespace, read-only; /proc's masks as without a user namespace
            HutchProcess.Result sys = hutch("exec", name, "sh", "-c", "ls /sys/class/net; echo 1 > /proc/sysrq-trigger");
            assertTrue(sys.out().contains("lo"), sys.out());
            assertTrue(sys.code() != 0, "/proc/sysrq-trigger is not writable: " + sys.err());
        } finally {
            ok("rm", "-f", name);
        }
    }

    @Test
    void twoContainersStartedAtOnceGetDisjointRangesAndRmFreesThem() throws Exception {
        String a = "uns-a-" + roots.tag(), b = "uns-b-" + roots.tag();
        CompletableFuture<HutchProcess.Result> ra = CompletableFuture.supplyAsync(
                () -> hutch("run", "-d", "--network", "none", "--userns=auto", "--name", a, "busybox", "sleep", "300"));
        CompletableFuture<HutchProcess.Result> rb = CompletableFuture.supplyAsync(
                () -> hutch("run", "-d", "--network", "none", "--userns=auto:size=4096", "--name", b, "busybox", "sleep", "300"));
        try {
            assertEquals(0, ra.get().code(), ra.get().err());
            assertEquals(0, rb.get().code(), rb.get().err());
            long[] ma = uidMap(initPid(a)), mb = uidMap(initPid(b));
            assertEquals(4096, mb[2], "auto:size=N maps N ids");
            assertTrue(new IdRange(ma[1], ma[2]).overlaps(new IdRange(ma[1], ma[2])));
            assertFalse(new IdRange(ma[1], ma[2]).overlaps(new IdRange(mb[1], mb[2])),
                    "ranges " + ma[1] + "+" + ma[2] + " and " + mb[1] + "+" + mb[2] + " overlap");
            String ida = id(a), idb = id(b);
            ok("rm", "-f", a);
            assertFalse(Files.exists(lease(ida)), "rm -f freed a's range");
            assertTrue(Files.exists(lease(idb)));
            ok("stop", "-t", "1", b);
            assertTrue(Files.exists(lease(idb)), "a stopped container keeps its range (its files are owned by it)");
            ok("rm", b);
            assertFalse(Files.exists(lease(idb)), "rm freed b's range");
        } finally {
            hutch("rm", "-f", a);
            hutch("rm", "-f", b);
        }
    }

    @Test
    void rmFFreesTheRangeAfterTheCliWasKilledMidRun() throws Exception {
        for (String step : List.of(Step.USERNS, Step.CGROUP, Step.GO)) {
            String name = "uns-crash-" + step + "-" + roots.tag();
            Path hold = roots.dir().resolve("hold-uns-" + step);
            Map<String, String> env = new HashMap<>(roots.environment());
            env.put("HUTCH_TEST_HOLD_AT", step);
            env.put("HUTCH_TEST_HOLD_FILE", hold.toString());
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", "-d", "--userns=auto", "-p", "127.0.0.1::80", "--name", name, "busybox", "sleep", "300"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(roots.dir().resolve("cli-uns-" + step + ".err").toFile());
            pb.environment().putAll(env);
            Process cli = pb.start();
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (!Files.exists(hold)) {
                    if (!cli.isAlive()) fail("hutch ended (exit " + cli.exitValue() + ") before it reached the hold at " + step);
                    if (System.currentTimeMillis() > deadline) fail("hutch never reached the hold at " + step);
                    Thread.sleep(10);
                }
                String id = id(name);
                // held at userns: journaled, not yet leased; later steps: leased
                assertEquals(!step.equals(Step.USERNS), Files.exists(lease(id)), "the lease at " + step);
                cli.destroyForcibly(); // SIGKILL to the pid this test started
                assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
                Files.deleteIfExists(hold);
                HutchProcess.Result ps = hutch("ps", "-a", "--format", "{{.Names}}|{{.Status}}");
                if (!step.equals(Step.GO))
                    assertTrue(ps.out().contains(name + "|Dead (interrupted at " + step + ")"), ps.out());
                ok("rm", "-f", name);
                assertFalse(Files.exists(lease(id)), "rm -f freed the range of a run killed at " + step);
                assertFalse(Files.exists(roots.config().containerDataDir(id)), "data dir");
            } finally {
                if (cli.isAlive()) cli.destroyForcibly();
                Files.deleteIfExists(hold);
                hutch("rm", "-f", name);
            }
        }
    }

    @Test
    void filesMadeInsideAreOwnedByTheRangeOnDiskAndCommitGivesThemBackTheirOwnIds() throws Exception {
        String name = "uns-files-" + roots.tag(), vol = "unsvol-" + roots.tag(), image = "uns-commit-" + roots.tag();
        ok("run", "-d", "--network", "none", "--userns=auto", "--name", name, "-v", vol + ":/data", "busybox", "sleep", "300");
        try {
            long start = uidMap(initPid(name))[1];
            ok("exec", name, "sh", "-c", "echo a > /made-as-root; echo b > /made-as-1000; chown 1000:1000 /made-as-1000; "
                    + "echo c > /data/in-volume");
            Path upper = Path.of(ok("inspect", "-f", "{{.GraphDriver.upperDir}}", name).trim()); // copy driver: its rootfs
            assertEquals(start, owner(upper.resolve("made-as-root")), "root inside wrote as the range's first uid");
            assertEquals(start + 1000, owner(upper.resolve("made-as-1000")), "uid 1000 inside is start+1000 outside");
            Path volume = roots.config().volumesDir().resolve(vol).resolve("_data");
            assertEquals(start, owner(volume), "a new named volume is given to the container's root");
            assertEquals(start, owner(volume.resolve("in-volume")));

            ok("commit", name, image);
            // the committed layer holds the ids seen inside, not the host range: read without a user namespace
            String seen = ok("run", "--rm", "--network", "none", image, "stat", "-c", "%u:%g %n", "/made-as-root", "/made-as-1000");
            assertEquals(List.of("0:0 /made-as-root", "1000:1000 /made-as-1000"), seen.lines().toList());
        } finally {
            hutch("rm", "-f", name);
            hutch("rmi", image);
            hutch("volume", "rm", vol);
        }
    }

    @Test
    void aBridgedContainerWithAPublishedPortServesOnLoopback() throws Exception {
        String name = "uns-web-" + roots.tag();
        ok("run", "-d", "--userns=auto", "-p", "127.0.0.1::80", "--name", name, "busybox", "sh", "-c",
                "mkdir -p /www && echo userns-served > /www/index.html && exec httpd -f -p 80 -h /www");
        try {
            String ports = ok("ps", "--format", "{{.Names}} {{.Ports}}").lines().filter(l -> l.startsWith(name + " "))
                    .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElseThrow();
            int port = Integer.parseInt(ports.replaceAll("^127\\.0\\.0\\.1:(\\d+)->80/tcp$", "$1"));
            String body = null;
            long deadline = System.currentTimeMillis() + 20_000;
            while (body == null || !body.contains("userns-served")) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    out.write("GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    body = e.toString();
                }
                if (System.currentTimeMillis() > deadline) fail("no answer on 127.0.0.1:" + port + ": " + body);
                if (!body.contains("userns-served")) Thread.sleep(100);
            }
            long pid = initPid(name);
            assertTrue(uids(pid, "Uid").get(0) > 0, "the server runs as an unprivileged host uid");
        } finally {
            ok("rm", "-f", name);
        }
    }

    @Test
    void rootInsideCannotWriteTheHostsRootFilesThroughABindMount() throws Exception {
        Path dir = Files.createDirectories(roots.dir().resolve("host-root-owned"));
        Path file = Files.writeString(dir.resolve("passwd-like"), "host\n");
        HutchProcess.Result r = hutch("run", "--rm", "--network", "none", "--userns=auto", "--cap-add", "ALL", "-v", dir + ":/h",
                "busybox", "sh", "-c", "echo pwned >> /h/passwd-like; touch /h/new; chmod 777 /h/passwd-like; "
                        + "stat -c '%u %U' /h/passwd-like; mknod /tmp/sda b 8 0 && echo MKNOD-DONE; true");
        assertEquals(0, r.code(), r.err());
        assertEquals("host\n", Files.readString(file), "the host file is unchanged");
        assertFalse(Files.exists(dir.resolve("new")));
        assertEquals(0, owner(file));
        assertTrue(r.out().contains("65534 "), "the host's root shows as the overflow uid inside: " + r.out());
        assertFalse(r.out().contains("MKNOD-DONE"), "no device nodes even with every capability: " + r.out());
        assertTrue(r.err().contains("Permission denied") || r.err().contains("Operation not permitted"), r.err());
    }

    @Test
    void anIdmappedBindMountShowsTheHostsOwnersAndRootWritesAsTheHostsRoot() throws Exception {
        Path dir = Files.createDirectories(roots.dir().resolve("idmapped-bind"));
        Path file = Files.writeString(dir.resolve("root-owned"), "host\n");
        Path users = Files.writeString(dir.resolve("user-owned"), "");
        Files.setAttribute(users, "unix:uid", 1000);
        HutchProcess.Result r = hutch("run", "--rm", "--network", "none", "--userns=auto", "-v", dir + ":/h:idmap",
                "busybox", "sh", "-c", "stat -c '%u %n' /h/root-owned /h/user-owned; echo inside >> /h/root-owned; touch /h/new");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("0 /h/root-owned", "1000 /h/user-owned"), r.out().lines().toList());
        assertEquals("host\ninside\n", Files.readString(file), "root inside wrote through the idmapped mount");
        assertEquals(0, owner(dir.resolve("new")), "as the host's root: the mapping is undone on the way down");
        HutchProcess.Result refused = hutch("run", "--rm", "-v", dir + ":/h:idmap", "busybox", "true");
        assertEquals(125, refused.code());
        assertTrue(refused.err().contains("needs --userns=auto"), refused.err());
    }

    /**
     * The fallback for kernels or file systems without idmapped mounts, forced here (this host has
     * them): each layer is chown-copied once per range, next to the layer, reused by the next
     * container of that range, and removed with the layer.
     */
    @Test
    void withoutIdmappedMountsTheLayersAreCachedChownCopiesRemovedWithTheLayer() throws Exception {
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("HUTCH_USERNS_LAYERS", "copy");
        String name = "uns-copy-" + roots.tag(), image = "uns-copy-img-" + roots.tag();
        HutchProcess.Result first = HutchProcess.run(env, List.of(), "run", "-d", "--network", "none", "--userns=auto", "--name", name,
                "busybox", "sh", "-c", "echo made > /made; sleep 300");
        assertEquals(0, first.code(), first.err());
        try {
            long start = uidMap(initPid(name))[1];
            String inside = ok("exec", name, "sh", "-c", "id -u; stat -c '%u:%g' /bin/sh /etc");
            assertEquals(List.of("0", "0:0", "0:0"), inside.lines().toList(), "the image's files are root's inside");
            if (ok("inspect", "-f", "{{.GraphDriver.driver}}", name).trim().equals("copy")) {
                // The copy driver (a kernel without overlay, or the guest before overlay is loaded)
                // copies the layers per container anyway: that copy is the one moved into the range.
                Path rootfs = Path.of(ok("inspect", "-f", "{{.GraphDriver.upperDir}}", name).trim());
                assertEquals(start, owner(rootfs.resolve("bin/sh")), "the copy driver's rootfs is in the range");
                return;
            }
            List<Path> copies;
            try (var s = Files.walk(roots.config().layersDir(), 4)) {
                copies = s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("userns")
                        && p.getFileName().toString().equals(start + "-65536")).toList();
            }
            assertEquals(1, copies.size(), "one copy of busybox's one layer for this range: " + copies);
            Path copy = copies.get(0);
            assertEquals(start, owner(copy.resolve("bin")), "the copy's owners are in the range");
            Object inode = Files.readAttributes(copy, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            ok("commit", name, image);
            ok("rm", "-f", name);

            // the next container with the same range uses the cached copy as it is
            HutchProcess.Result again = HutchProcess.run(env, List.of(), "run", "--rm", "--network", "none", "--userns=auto",
                    image, "sh", "-c", "cat /made; stat -c %u /made; cat /proc/self/uid_map");
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().startsWith("made\n0\n"), again.out());
            assertTrue(again.out().contains(" " + start + " "), "first fit gave the same range again: " + again.out());
            assertEquals(inode, Files.readAttributes(copy, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
            List<Path> committedCopies;
            try (var s = Files.walk(roots.config().layersDir(), 4)) {
                committedCopies = s.filter(p -> p.getFileName().toString().equals(start + "-65536") && !p.equals(copy)).toList();
            }
            assertEquals(1, committedCopies.size(), "the committed layer got its own copy: " + committedCopies);
            ok("rmi", image);
            assertFalse(Files.exists(committedCopies.get(0)), "rmi removed the committed layer's copy with the layer");
        } finally {
            hutch("rm", "-f", name);
            hutch("rmi", image);
        }
    }

    @Test
    void badValuesAreOneLineAndExit125() {
        for (List<String> flags : List.of(List.of("--userns=bogus"), List.of("--userns=auto:size=12"),
                List.of("--userns=auto", "--privileged"))) {
            List<String> args = new ArrayList<>(List.of("run", "--rm"));
            args.addAll(flags);
            args.addAll(List.of("busybox", "true"));
            HutchProcess.Result r = hutch(args.toArray(String[]::new));
            assertEquals(125, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--userns"), r.err());
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
