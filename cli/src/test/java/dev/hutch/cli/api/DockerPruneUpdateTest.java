package dev.hutch.cli.api;

import dev.hutch.cli.HutchProcess;
import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.engine.Engine;
import dev.hutch.cli.Engines;
import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker update, the prunes and system df through hutch's Docker API, with the real docker CLI
 * against a private service on the test's own roots (as {@link DockerCliTest}): update's limits
 * read back from the container's cgroup files, each prune removing exactly what nothing uses (and
 * nothing this test did not make: the roots are its own), and df's numbers equal to
 * {@code hutch system df}'s on the same roots. The methods run in order: each leaves the roots
 * as the next expects.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerPruneUpdateTest {
    static DockerCli cli;
    static TestRoots roots;
    static Engine engine;
    static final List<String> made = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
        engine = Engines.forHost(roots.config());
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

    static String run(String name, String... rest) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(rest));
        made.add(name);
        return ok(args.toArray(String[]::new)).out().trim();
    }

    /**
     * A container that ran and exited: run -d, then docker wait (not an attached run: this test is
     * about what prune removes, not about attach's end, which has its own tests).
     */
    static String stopped(String name, String... options) throws Exception {
        return exited(name, "head -c 20000 /dev/zero > /junk", options);
    }

    static String exited(String name, String script, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox", "sh", "-c", script));
        made.add(name);
        String id = ok(args.toArray(String[]::new)).out().trim();
        assertEquals("0", ok("wait", name).out().trim());
        return id;
    }

    static boolean exists(String... inspectArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(inspectArgs));
        return docker(args.toArray(String[]::new)).code() == 0;
    }

    private static Path cgroupFile(String id, String... names) {
        for (String n : names)
            for (String dir : engine.inspect(id).cgroupPaths()) if (Files.exists(Path.of(dir, n))) return Path.of(dir, n);
        throw new AssertionError("no cgroup dir of " + id + " has any of " + List.of(names));
    }

    private static String read(Path p) throws Exception { return Files.readString(p).trim(); }

    @Test
    @Order(1)
    void updateWritesTheLiveCgroupAndInspectAgrees() throws Exception {
        String name = "upd-" + roots.tag();
        String id = run(name, "--network", "none", "busybox", "sleep", "300");
        ok("update", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "50", name);

        assertEquals(Long.toString(64L << 20), read(cgroupFile(id, "memory.limit_in_bytes", "memory.max")));
        Path cpu = cgroupFile(id, "cpu.cfs_quota_us", "cpu.max");
        String quota = read(cpu);
        if (cpu.getFileName().toString().equals("cpu.max")) assertEquals("50000 100000", quota);
        else assertEquals("50000", quota);
        assertEquals("50", read(cgroupFile(id, "pids.max")));
        assertEquals("67108864 500000000 50",
                ok("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", name).out().trim());

        ok("update", "--restart", "on-failure:3", name);
        assertEquals("on-failure 3", ok("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", name).out().trim());

        // a field hutch cannot change: refused with its name, and nothing changed
        fails("KernelMemory", "update", "--kernel-memory", "8m", "--memory", "32m", name);
        assertEquals(Long.toString(64L << 20), read(cgroupFile(id, "memory.limit_in_bytes", "memory.max")));
        fails("CpuRealtimeRuntime", "update", "--cpu-rt-runtime", "1000", name);
        ok("rm", "-f", name);
        fails("No such container", "update", "--memory", "64m", name);
    }

    @Test
    @Order(2)
    void containerPruneRemovesExactlyTheStoppedOnes() throws Exception {
        String tag = roots.tag();
        String start = Long.toString(System.currentTimeMillis() / 1000 - 1);
        String running = run("keep-" + tag, "--network", "none", "busybox", "sleep", "300");
        String plain = stopped("gone-" + tag);
        String labelled = stopped("labelled-" + tag, "--label", "hutch.test=prune");

        fails("invalid filter 'name'", "container", "prune", "-f", "--filter", "name=x");
        Result byLabel = ok("container", "prune", "-f", "--filter", "label=hutch.test=prune");
        assertTrue(byLabel.out().contains(labelled), byLabel.out());
        assertFalse(byLabel.out().contains(plain), byLabel.out());
        assertTrue(exists("inspect", plain));

        Result all = ok("container", "prune", "-f");
        assertTrue(all.out().contains(plain), all.out());
        assertTrue(all.out().contains("Total reclaimed space"), all.out());
        assertFalse(exists("inspect", plain));
        assertFalse(exists("inspect", labelled));
        assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", running).out().trim());

        String now = Long.toString(System.currentTimeMillis() / 1000 + 1);
        Result events = ok("events", "--since", start, "--until", now, "--filter", "event=prune",
                "--format", "{{.Type}} {{.Action}} {{index .Actor.Attributes \"reclaimed\"}}");
        List<String> lines = events.out().trim().lines().toList();
        assertEquals(2, lines.size(), events.out());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("container prune ")), events.out());
        assertTrue(Long.parseLong(lines.get(1).split(" ")[2]) >= 20000, "the junk file counts: " + events.out());
        Result destroyed = ok("events", "--since", start, "--until", now, "--filter", "event=destroy", "--format", "{{.Actor.ID}}");
        assertTrue(destroyed.out().contains(plain) && destroyed.out().contains(labelled), destroyed.out());
    }

    @Test
    @Order(3)
    void imagePruneTakesDanglingOnesAndWithAllTheUnused() throws Exception {
        String tag = roots.tag().toLowerCase(), name = "img-" + tag;
        run(name, "--network", "none", "busybox", "sleep", "300");
        String repo = "hutch-test-prune:" + tag, unused = "hutch-test-unused:" + tag;
        String first = ok("commit", name, repo).out().trim();
        ok("exec", name, "touch", "/second");
        String second = ok("commit", name, repo).out().trim();
        ok("exec", name, "touch", "/third");
        ok("commit", name, unused);
        assertFalse(first.equals(second));
        assertEquals("", ok("image", "inspect", "-f", "{{join .RepoTags \",\"}}", first).out().trim()); // dangling now

        Result dangling = ok("image", "prune", "-f");
        assertTrue(dangling.out().contains("deleted: " + first), dangling.out());
        assertFalse(exists("image", "inspect", first));
        assertTrue(exists("image", "inspect", repo));
        assertTrue(exists("image", "inspect", unused));

        Result all = ok("image", "prune", "-a", "-f");
        assertTrue(all.out().contains("untagged: " + repo) && all.out().contains("untagged: " + unused), all.out());
        assertFalse(exists("image", "inspect", repo));
        assertFalse(exists("image", "inspect", unused));
        assertTrue(exists("image", "inspect", "busybox"), "busybox is used by " + name);
        ok("rm", "-f", name);
    }

    @Test
    @Order(4)
    void networkPruneKeepsTheUsedOnes() throws Exception {
        String tag = roots.tag().toLowerCase(), unused = "pn-unused-" + tag, used = "pn-used-" + tag;
        ok("network", "create", unused);
        ok("network", "create", used);
        run("net-" + tag, "--network", used, "busybox", "sleep", "300");
        Result r = ok("network", "prune", "-f");
        assertTrue(r.out().contains(unused) && !r.out().contains(used), r.out());
        assertFalse(exists("network", "inspect", unused));
        assertTrue(exists("network", "inspect", used));
        ok("rm", "-f", "net-" + tag);
        ok("network", "rm", used);
    }

    @Test
    @Order(5)
    void volumePruneTakesEveryUnusedOneAtApi141WithLabelFilters() throws Exception {
        String tag = roots.tag().toLowerCase(), named = "pv-named-" + tag, mounted = "pv-mounted-" + tag;
        ok("volume", "create", named);
        ok("volume", "create", mounted);
        run("vol-" + tag, "--network", "none", "-v", mounted + ":/m", "busybox", "sleep", "300");
        String anon = anonymousVolume("anon1-" + tag);

        // docker 20.10's CLI speaks API 1.41: dockerd prunes named volumes too there
        Result r = ok("volume", "prune", "-f");
        assertTrue(r.out().contains(named) && r.out().contains(anon) && !r.out().contains(mounted), r.out());
        assertTrue(exists("volume", "inspect", mounted));

        // the label filters, and all=true (what a newer CLI's volume prune -a sends; API 1.41 takes every unused one anyway)
        ok("volume", "create", "--label", "hutch.test=keep", named);
        String anon2 = anonymousVolume("anon2-" + tag);
        Map<String, Object> unlabelled = curlPost("/v1.41/volumes/prune?filters=" + encode("{\"label!\":[\"hutch.test=keep\"]}"));
        assertEquals(List.of(anon2), unlabelled.get("VolumesDeleted"), unlabelled.toString());
        assertTrue(((Number) unlabelled.get("SpaceReclaimed")).longValue() >= 30000, unlabelled.toString());
        assertTrue(exists("volume", "inspect", named));
        Map<String, Object> all = curlPost("/v1.41/volumes/prune?filters=" + encode("{\"all\":[\"true\"]}"));
        assertEquals(List.of(named), all.get("VolumesDeleted"), all.toString());
        Map<String, Object> refused = curlPost("/v1.41/volumes/prune?filters=" + encode("{\"until\":[\"1h\"]}"));
        assertTrue(String.valueOf(refused.get("message")).contains("invalid filter 'until'"), refused.toString());
        assertTrue(exists("volume", "inspect", mounted));
        ok("rm", "-f", "vol-" + tag);
        ok("volume", "rm", mounted);
    }

    /** The anonymous volume a removed container left (docker rm without -v keeps it). */
    private static String anonymousVolume(String name) throws Exception {
        exited(name, "head -c 30000 /dev/zero > /anon/z", "-v", "/anon");
        String v = ok("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", name).out().trim();
        ok("rm", name);
        assertTrue(exists("volume", "inspect", v), "the anonymous volume " + v + " outlives its container");
        return v;
    }

    private static String encode(String s) { return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8); }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> curlPost(String path) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--unix-socket", cli.socket().toString(), "-X", "POST", "http://hutch" + path)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        System.out.println("POST " + path + " -> " + out);
        return (Map<String, Object>) Json.parse(out);
    }

    @Test
    @Order(6)
    void systemPruneCallsThePrunesAndDfPrintsHutchsNumbers() throws Exception {
        String tag = roots.tag().toLowerCase();
        String running = run("sys-" + tag, "--network", "none", "-v", "sysvol-" + tag + ":/v", "busybox",
                "sh", "-c", "head -c 70000 /dev/zero > /v/z; head -c 40000 /dev/zero > /rw; sleep 300");
        String gone = stopped("sysgone-" + tag);
        ok("network", "create", "sysnet-" + tag);
        for (int i = 0; i < 50 && docker("exec", running, "test", "-f", "/rw").code() != 0; i++) Thread.sleep(100);

        // a build cache entry, made by a real hutch build on the same roots (its env step runs nothing)
        Path recipe = Files.createDirectories(roots.dir().resolve("recipe-" + tag));
        Files.writeString(recipe.resolve("recipe.groovy"), "from 'busybox'\nenv 'PRUNE_TEST', '" + tag + "'\n");
        HutchProcess.Result built = HutchProcess.runShown(direct(), "build", "-t", "hutch-test-built:" + tag, recipe.toString());
        assertEquals(0, built.code(), built.err());

        // df first, on what is there now
        Map<String, Map<String, Object>> hutch = hutchDf();
        assertTrue(n(hutch.get("Build Cache"), "TotalCount") >= 1, "the build's step: " + hutch);
        Map<String, Map<String, Object>> docker = new HashMap<>();
        for (String line : ok("system", "df", "--format", "{{json .}}").out().trim().lines().toList()) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(line);
            docker.put((String) m.get("Type"), m);
        }
        for (String type : List.of("Images", "Containers", "Local Volumes", "Build Cache")) {
            Map<String, Object> h = hutch.get(type), d = docker.get(type);
            assertEquals(String.valueOf(n(h, "TotalCount")), String.valueOf(d.get("TotalCount")), type);
            assertEquals(String.valueOf(n(h, "Active")), String.valueOf(d.get("Active")), type);
            assertEquals(humanSize(n(h, "Size")), d.get("Size"), type);
            if (!type.equals("Images")) // docker's client sums images' reclaimable space its own way (see DiskUsageEndpoint)
                assertTrue(String.valueOf(d.get("Reclaimable")).startsWith(humanSize(n(h, "Reclaimable"))), type + ": " + d);
        }
        assertTrue(n(hutch.get("Containers"), "Size") >= 60000, "the two containers' files: " + hutch);
        String verbose = ok("system", "df", "-v").out();
        assertTrue(verbose.contains("sysvol-" + tag), verbose);
        String volumeLine = verbose.lines().filter(l -> l.startsWith("sysvol-" + tag)).findFirst().orElseThrow();
        assertEquals(List.of("sysvol-" + tag, "1", humanSize(engineVolumeBytes("sysvol-" + tag))), List.of(volumeLine.trim().split("\\s+")));
        assertTrue(verbose.contains(running.substring(0, 12)) && verbose.contains(gone.substring(0, 12)), verbose);

        Result r = ok("system", "prune", "-f");
        assertTrue(r.out().contains(gone) && !r.out().contains(running), r.out());
        assertTrue(r.out().contains("sysnet-" + tag), r.out());
        assertTrue(r.out().contains("Total reclaimed space"), r.out());
        assertFalse(exists("inspect", gone));
        assertFalse(exists("network", "inspect", "sysnet-" + tag));
        assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", running).out().trim());
        assertTrue(exists("volume", "inspect", "sysvol-" + tag), "volumes only with --volumes");
        assertEquals(0, n(hutchDf().get("Build Cache"), "TotalCount"), "docker system prune prunes the build cache too");
        assertTrue(exists("image", "inspect", "hutch-test-built:" + tag), "a tagged image stays without -a");
        ok("rmi", "hutch-test-built:" + tag);
        ok("rm", "-f", running);
        ok("volume", "rm", "sysvol-" + tag);
    }

    private static long engineVolumeBytes(String name) {
        return dev.hutch.cli.commands.DiskUsage.measure(engine).volumes().stream().filter(v -> v.volume().name().equals(name))
                .findFirst().orElseThrow().size();
    }

    /** hutch on the same roots, directly (not through any engine service). */
    private static Map<String, String> direct() {
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("HUTCH_ENGINE", "off");
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> hutchDf() {
        HutchProcess.Result r = HutchProcess.runShown(direct(), "system", "df", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (String line : r.out().trim().lines().toList()) {
            Map<String, Object> m = (Map<String, Object>) Json.parse(line);
            out.put((String) m.get("Type"), m);
        }
        return out;
    }

    private static long n(Map<String, Object> m, String k) { return ((Number) m.get(k)).longValue(); }

    /** The docker CLI's sizes: powers of 1000, four significant digits. */
    private static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString() + units[u];
    }
}
