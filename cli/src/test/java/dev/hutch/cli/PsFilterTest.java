package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ps --filter} and {@code images --filter} with docker's keys, over real containers (created,
 * running, exited 0 and 3), images, a network, a volume, published and exposed ports and labels;
 * {@code ps -n/-l/-s}; bad filters refused with one line and exit 125. The label case is also how
 * what a killed test JVM left is found and removed (docs/junit5.md).
 */
@RequiresRoot
class PsFilterTest {
    static TestRoots roots;
    static String t, net, netId, vol, web, db, ok, bad, fresh, app, appImage, dangling;
    static final List<String> made = new ArrayList<>();

    static Result hutch(String... args) { return HutchProcess.run(roots.environment(), List.of(), args); }

    static Result ok(String... args) {
        Result r = HutchProcess.runShown(roots.environment(), args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /** Made in creation order: web, db, ok, bad, fresh (created), app (created, from another image). */
    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        t = roots.tag();
        net = "pf-net-" + t;
        vol = "pf-vol-" + t;
        netId = ok("network", "create", net).out().trim();
        ok("volume", "create", vol);
        ok("run", "--rm", "--network", "none", "busybox", "true"); // stores busybox, for tag
        ok("tag", "busybox", "pf-" + t + ":v1");
        web = made(ok("run", "-d", "--name", "web-" + t, "--network", net, "-p", "127.0.0.1::80", "-l", "tier=front",
                "-v", vol + ":/data", "pf-" + t + ":v1", "sleep", "300"));
        db = made(ok("run", "-d", "--name", "db-" + t, "--network", "none", "--expose", "5432", "-l", "tier=back", "busybox", "sleep", "300"));
        ok = made(ok("create", "--name", "ok-" + t, "--network", "none", "busybox", "sh", "-c", "head -c 5000 /dev/zero > /big"));
        ok("start", "-a", ok);
        bad = made(ok("create", "--name", "bad-" + t, "--network", "none", "busybox", "sh", "-c", "exit 3"));
        assertEquals(3, hutch("start", "-a", bad).code());
        fresh = made(ok("create", "--name", "fresh-" + t, "--network", "none", "busybox", "true"));
        appImage = ok("commit", "--change", "LABEL pf=" + t, ok, "pf-app-" + t + ":1").out().trim();
        dangling = ok("commit", bad).out().trim();
        app = made(ok("create", "--name", "app-" + t, "--network", "none", "pf-app-" + t + ":1", "true"));
    }

    private static String made(Result r) {
        String id = r.out().trim();
        made.add(id);
        return id;
    }

    @AfterAll
    static void tearDown() {
        if (roots == null) return;
        try {
            if (!made.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
                rm.addAll(made);
                HutchProcess.runShown(roots.environment(), rm.toArray(String[]::new));
            }
            HutchProcess.runShown(roots.environment(), "network", "rm", net);
            HutchProcess.runShown(roots.environment(), "volume", "rm", vol);
            HutchProcess.runShown(roots.environment(), "rmi", "pf-" + t + ":v1", "pf-app-" + t + ":1");
            if (dangling != null) HutchProcess.runShown(roots.environment(), "rmi", dangling);
        } finally {
            roots.close();
        }
    }

    /** The names ps lists with these flags, newest first. */
    static List<String> ps(String... flags) {
        List<String> args = new ArrayList<>(List.of("ps", "--format", "{{.Names}}"));
        args.addAll(List.of(flags));
        return ok(args.toArray(String[]::new)).out().lines().filter(l -> !l.isBlank()).map(l -> l.replace("-" + t, "")).toList();
    }

    @Test
    void eachContainerFilterSelectsWhatDockersDoes() {
        assertEquals(List.of("db", "web"), ps(), "no -a: running ones");
        assertEquals(List.of("app", "fresh", "bad", "ok", "db", "web"), ps("-a"));
        assertEquals(List.of("web"), ps("-a", "-f", "name=web-" + t));
        assertEquals(List.of("bad", "ok"), ps("-a", "-f", "name=^/(ok|bad)-"), "a regular expression searched in /NAME");
        assertEquals(List.of("db"), ps("-a", "-f", "id=" + db.substring(0, 7)));
        assertEquals(List.of("bad", "ok"), ps("-f", "status=exited"), "a status filter lists every state without -a");
        assertEquals(List.of("app", "fresh", "db", "web"), ps("-f", "status=created", "-f", "status=running"), "values of one key: alternatives");
        assertEquals(List.of("bad"), ps("-a", "-f", "exited=3"));
        assertEquals(List.of("ok"), ps("-a", "-f", "exited=0"), "created containers never exited");
        assertEquals(List.of("bad"), ps("-a", "-f", "status=exited", "-f", "name=-"  + t, "-f", "exited=3"), "keys must all hold");
        assertEquals(List.of("fresh", "bad", "ok", "db", "web"), ps("-a", "-f", "ancestor=busybox"), "the image by name, through its other tags too");
        assertEquals(List.of("fresh", "bad", "ok", "db", "web"), ps("-a", "-f", "ancestor=pf-" + t + ":v1"));
        assertEquals(List.of("app"), ps("-a", "-f", "ancestor=" + appImage.replace("sha256:", "").substring(0, 12)), "the image by id");
        assertEquals(List.of(), ps("-a", "-f", "ancestor=pf-nosuch-" + t), "an unknown image selects nothing");
        assertEquals(List.of("web"), ps("-a", "-f", "network=" + net));
        assertEquals(List.of("web"), ps("-a", "-f", "network=" + netId.substring(0, 10)), "a network by id prefix");
        assertEquals(List.of("web"), ps("-a", "-f", "volume=" + vol));
        assertEquals(List.of("web"), ps("-a", "-f", "volume=/data"), "a volume by its destination");
        assertEquals(List.of("web"), ps("-a", "-f", "publish=80"), "the container port, with a random host port");
        assertEquals(List.of("web"), ps("-a", "-f", "publish=79-81/tcp"));
        assertEquals(List.of(), ps("-a", "-f", "publish=80/udp"));
        assertEquals(List.of("db"), ps("-a", "-f", "expose=5432"));
        assertEquals(List.of("web"), ps("-a", "-f", "expose=80"), "a published port is exposed too");
        assertEquals(List.of("ok", "db", "web"), ps("-a", "-f", "before=bad-" + t));
        assertEquals(List.of("app", "fresh"), ps("-a", "-f", "since=bad-" + t));
        assertEquals(List.of("db", "web"), ps("-a", "-f", "label=tier"));
        assertEquals(List.of("db"), ps("-a", "-f", "label=tier=back"));
        assertEquals(List.of(), ps("-a", "-f", "label=tier=back", "-f", "label=tier=front"), "label values must all hold");
        assertEquals(List.of("db", "web"), ps("-a", "-f", "health=none", "-f", "status=running"));
    }

    @Test
    void lastLatestAndSize() {
        assertEquals(List.of("app", "fresh"), ps("-n", "2"), "the last created, in every state");
        assertEquals(List.of("app"), ps("-l"));
        assertEquals(List.of("web"), ps("-n", "1", "-f", "network=" + net));
        String size = ok("ps", "-a", "-f", "name=ok-" + t, "--format", "{{.Size}}").out().trim();
        assertTrue(size.matches("5kB \\(virtual [0-9.]+MB\\)"), "5000 bytes written, and the image's: " + size);
        List<String> table = ok("ps", "-a", "-s", "-f", "name=ok-" + t).out().lines().toList();
        assertTrue(table.get(0).trim().endsWith("SIZE"), table.get(0));
        assertTrue(table.get(1).contains(size), table.toString());
        assertFalse(ok("ps", "-a", "-f", "name=ok-" + t).out().contains("virtual"), "no sizes without -s");
    }

    @Test
    void badFiltersAreRefusedWithOneLine() {
        refused("invalid filter 'colour'", "ps", "-f", "colour=red");
        refused("invalid filter 'status=sleepy'", "ps", "-f", "status=sleepy");
        refused("invalid filter 'exited=x'", "ps", "-f", "exited=x");
        refused("invalid filter 'publish=80x'", "ps", "-f", "publish=80x");
        refused("invalid filter 'health=ill'", "ps", "-f", "health=ill");
        refused("bad format of filter (expected name=value)", "ps", "-f", "running");
        refused("no such container", "ps", "-f", "before=pf-nosuch-" + t);
        refused("invalid filter 'dangling=maybe'", "images", "-f", "dangling=maybe");
        refused("invalid filter 'name'", "images", "-f", "name=x");
        refused("No such image", "images", "-f", "since=pf-nosuch-" + t);
    }

    private static void refused(String text, String... args) {
        Result r = hutch(args);
        assertEquals(125, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().toLowerCase().contains(text.toLowerCase()), r.err());
    }

    /** REPOSITORY:TAG (or the id for an untagged image) of each row images lists with these flags. */
    static List<String> images(String... flags) {
        List<String> args = new ArrayList<>(List.of("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
        args.addAll(List.of(flags));
        return ok(args.toArray(String[]::new)).out().lines().filter(l -> !l.isBlank())
                .map(l -> l.startsWith("<none>:<none> ") ? l.substring("<none>:<none> ".length()) : l.substring(0, l.indexOf(' ')))
                .sorted().toList();
    }

    @Test
    void imageFilters() {
        assertEquals(List.of(dangling), images("-f", "dangling=true"));
        List<String> tagged = images("-f", "dangling=false");
        assertTrue(tagged.contains("busybox:latest") && tagged.contains("pf-" + t + ":v1") && !tagged.contains(dangling), tagged.toString());
        assertEquals(List.of("pf-" + t + ":v1"), images("-f", "reference=pf-" + t + ":v?"), "only the matching tag of busybox's image");
        assertEquals(java.util.stream.Stream.of("pf-app-" + t + ":1", "pf-" + t + ":v1").sorted().toList(), images("-f", "reference=pf-*"));
        assertEquals(List.of("busybox:latest"), images("-f", "reference=busybox"), "a pattern on the repository alone");
        assertEquals(List.of("pf-app-" + t + ":1"), images("-f", "label=pf=" + t));
        List<String> since = images("-f", "since=busybox");
        assertTrue(since.contains("pf-app-" + t + ":1") && !since.contains("busybox:latest"), since.toString());
        List<String> before = images("-f", "before=pf-app-" + t + ":1");
        assertTrue(before.contains("busybox:latest") && !before.contains("pf-app-" + t + ":1"), before.toString());
        assertEquals(List.of(), images("-f", "reference=pf-nosuch-*"));
    }
}
