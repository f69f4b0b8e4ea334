package dev.hutch.cli;

import dev.hutch.archive.Whiteouts;
import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hutch rename, diff and top, each checked from outside: the record and the name index on disk
 * and a peer's /etc/hosts after a rename; the whiteout in the writable layer behind a D line; the
 * cgroup of every pid top lists. And docker's errors with its exit codes.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RenameDiffTopTest {
    static TestRoots roots;
    static Map<String, String> env;
    static final List<String> made = new ArrayList<>();
    static String network;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        env = roots.environment();
    }

    @AfterAll
    static void tearDown() {
        if (roots == null) return;
        try {
            for (String c : made) HutchProcess.runShown(env, "rm", "-f", c);
            if (network != null) HutchProcess.runShown(env, "network", "rm", network);
        } finally {
            roots.close();
        }
    }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(env, args); }

    static HutchProcess.Result ok(String... args) {
        HutchProcess.Result r = hutch(args);
        assertEquals(0, r.code(), "hutch " + String.join(" ", args) + ": " + r.err());
        return r;
    }

    static void fails(int code, String message, String... args) {
        HutchProcess.Result r = hutch(args);
        assertEquals(code, r.code(), "hutch " + String.join(" ", args) + ": " + r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    /** A detached container, removed after the class. */
    static String run(String name, String... rest) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(Arrays.asList(rest));
        made.add(name);
        return ok(args.toArray(String[]::new)).out().trim();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> record(String id) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(roots.config().containerStateDir(id).resolve("config.json")));
    }

    @Test
    void renameChangesTheRecordTheNameIndexAndWhatPeersResolve() throws Exception {
        String tag = roots.tag(), oldName = "rn-old-" + tag, newName = "rn-new-" + tag, peer = "rn-peer-" + tag;
        network = "rn-net-" + tag;
        ok("network", "create", network);
        String id = run(oldName, "--network", network, "busybox", "sleep", "300");
        run(peer, "--network", network, "busybox", "sleep", "300");
        assertTrue(ok("exec", peer, "cat", "/etc/hosts").out().contains(oldName));

        ok("rename", oldName, newName);
        made.set(made.indexOf(oldName), newName);
        assertEquals(newName, record(id).get("name"));
        Path names = roots.config().runRoot().resolve("names");
        assertEquals(id, Files.readString(names.resolve(newName)).trim());
        assertFalse(Files.exists(names.resolve(oldName)), "the old name is free again");
        assertEquals(id, ok("inspect", "--format", "{{.Id}}", newName).out().trim());
        assertTrue(ok("ps", "--format", "{{.Names}}").out().lines().anyMatch(newName::equals));
        // ip netns follows the name: hutch-NEW is the container's namespace, hutch-OLD is gone
        Path netns = roots.config().netnsDir();
        String pid = ok("inspect", "--format", "{{.State.Pid}}", newName).out().trim();
        assertEquals(Files.getAttribute(Path.of("/proc", pid, "ns/net"), "unix:ino"), Files.getAttribute(netns.resolve("hutch-" + newName), "unix:ino"));
        assertFalse(Files.exists(netns.resolve("hutch-" + oldName), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        String hosts = ok("exec", peer, "cat", "/etc/hosts").out();
        assertTrue(hosts.contains(newName) && !hosts.contains(oldName), "the peer resolves the new name only:\n" + hosts);

        fails(1, "No such container".toLowerCase(), "inspect", oldName);
        fails(1, "Conflict. The container name \"/" + peer + "\" is already in use by container \"", "rename", newName, peer);
        fails(1, "Renaming a container with the same name as its current name", "rename", newName, newName);
        fails(1, "Invalid container name (bad name)", "rename", newName, "bad name");
        fails(1, "no such container: rn-nothing", "rename", "rn-nothing", "x" + tag);
        fails(125, "requires exactly 2 arguments", "rename", newName);
        assertEquals(newName, record(id).get("name"), "failed renames changed nothing");
        assertTrue(Files.exists(names.resolve(newName)) && !Files.exists(names.resolve("x" + tag)));
    }

    @Test
    void diffListsWhatTheContainerAddedChangedAndDeleted() throws Exception {
        String name = "df-" + roots.tag();
        String id = run(name, "--network", "none", "busybox", "sh", "-c",
                "touch /tmp/new; rm /etc/passwd; echo x >> /etc/group; mkdir -p /root/a/b; touch /tmp/ready; sleep 300");
        String diff = "";
        for (int i = 0; i < 100 && !diff.contains("A /tmp/ready"); i++) {
            Thread.sleep(100);
            diff = ok("diff", name).out();
        }
        assertEquals(List.of("C /etc", "C /etc/group", "D /etc/passwd", "C /root", "A /root/a", "A /root/a/b", "C /tmp", "A /tmp/new",
                "A /tmp/ready"), diff.lines().toList());
        // the D line is the whiteout in the writable layer on the host
        @SuppressWarnings("unchecked")
        Map<String, Object> rootfs = (Map<String, Object>) record(id).get("rootfs");
        Path upper = Path.of((String) rootfs.get("upperDir"));
        if ("overlay".equals(rootfs.get("driver"))) assertTrue(Whiteouts.isOverlayWhiteout(upper.resolve("etc/passwd")));
        else assertTrue(Files.exists(upper.resolve("etc/.wh.passwd")), "driver " + rootfs.get("driver"));

        fails(1, "no such container: df-nothing", "diff", "df-nothing");
        fails(125, "requires exactly 1 argument", "diff");
    }

    @Test
    void topListsTheContainersProcessesAsTheHostSeesThem() throws Exception {
        String name = "tp-" + roots.tag();
        run(name, "--network", "none", "busybox", "sleep", "301");
        List<String> lines = ok("top", name).out().lines().toList();
        List<String> titles = Arrays.asList(lines.get(0).trim().split("\\s+"));
        assertEquals(List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"), titles);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("sleep 301")), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("UID" + " ".repeat(17) + "PID"), "docker's columns, 20 wide: " + lines.get(0));
        for (String row : lines.subList(1, lines.size())) {
            String pid = row.trim().split("\\s+")[1];
            String cgroup = Files.readString(Path.of("/proc", pid, "cgroup"));
            assertTrue(cgroup.contains("test-" + roots.tag()), "pid " + pid + " is in the container's cgroup: " + cgroup);
        }
        List<String> custom = ok("top", name, "-o", "pid,comm").out().lines().toList();
        assertEquals(List.of("PID", "COMMAND"), Arrays.asList(custom.get(0).trim().split("\\s+")));
        assertTrue(custom.stream().anyMatch(l -> l.trim().endsWith("sleep")), String.join("\n", custom));

        fails(1, "Couldn't find PID field in ps output", "top", name, "-o", "comm");
        ok("stop", "-t", "1", name);
        fails(1, "is not running", "top", name);
        fails(1, "no such container: tp-nothing", "top", "tp-nothing");
    }
}
