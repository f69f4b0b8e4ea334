package dev.hutch.cli;

import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hutch system df and system prune in this test's own roots: df counts what is there and what is
 * in use; prune asks first (a "no" changes nothing), then removes stopped containers, unused user
 * networks and dangling images, keeps what runs, and removes volumes only with --volumes.
 */
@RequiresRoot
class SystemDfPruneTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return hutchWithInput(null, args); }

    static HutchProcess.Result hutchWithInput(String stdin, String... args) {
        HutchProcess.Result r;
        try {
            File in = null;
            if (stdin != null) {
                in = roots.dir().resolve("stdin-" + System.nanoTime()).toFile();
                Files.writeString(in.toPath(), stdin);
            }
            r = in == null ? HutchProcess.run(roots.environment(), List.of(), args)
                    : HutchProcess.run(roots.environment(), List.of(), in, args);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return HutchProcess.shown(r, args);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> df() {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (String line : hutch("system", "df", "--format", "json").out().trim().lines().toList()) {
            Map<String, Object> m = (Map<String, Object>) Json.parse(line);
            out.put((String) m.get("Type"), m);
        }
        return out;
    }

    static long n(Map<String, Object> m, String k) { return ((Number) m.get(k)).longValue(); }

    @Test
    void dfCountsAndPruneAsksThenRemovesWhatNothingUses() {
        String tag = roots.tag().toLowerCase();
        String net = "prune-net-" + tag, vol = "prune-vol-" + tag, image = "hutch-test-prune:" + tag;
        assertEquals(0, hutch("network", "create", net).code());
        assertEquals(0, hutch("volume", "create", vol).code());
        String running = hutch("run", "-d", "--network", "none", "-v", vol + ":/v", "busybox", "sleep", "60").out().trim();
        assertEquals(0, hutch("run", "--name", "stopped-" + tag, "--network", "none", "-v", "/anon", "busybox",
                "sh", "-c", "head -c 100000 /dev/zero > /anon/z; head -c 50000 /dev/zero > /big").code());
        // a dangling image: the tag moves to a second commit
        assertEquals(0, hutch("commit", running, image).code());
        assertEquals(0, hutch("exec", running, "touch", "/second").code());
        assertEquals(0, hutch("commit", running, image).code());
        try {
            Map<String, Map<String, Object>> d = df();
            assertEquals(2, n(d.get("Containers"), "TotalCount"));
            assertEquals(1, n(d.get("Containers"), "Active"));
            assertTrue(n(d.get("Containers"), "Reclaimable") >= 50_000, "the stopped one's own 50 kB file: " + d.get("Containers"));
            assertEquals(2, n(d.get("Local Volumes"), "TotalCount"), "the named and the anonymous volume");
            assertEquals(2, n(d.get("Local Volumes"), "Active"), "docker counts a volume of a stopped container as in use");
            assertTrue(n(d.get("Local Volumes"), "Size") >= 100_000, d.get("Local Volumes").toString());
            long images = n(d.get("Images"), "TotalCount");
            assertTrue(images >= 3, "busybox and two commits: " + d.get("Images"));
            assertTrue(hutch("system", "df").out().startsWith("TYPE"), "docker's table");

            HutchProcess.Result no = hutchWithInput("n\n", "system", "prune");
            assertEquals(0, no.code());
            assertTrue(no.out().contains("Are you sure you want to continue? [y/N]"), no.out());
            assertEquals(2, n(df().get("Containers"), "TotalCount"), "a no changes nothing");

            HutchProcess.Result yes = hutchWithInput("y\n", "system", "prune");
            assertEquals(0, yes.code(), yes.err());
            assertTrue(yes.out().contains("Deleted Containers:") && yes.out().contains("Deleted Networks:\n" + net + "\n"), yes.out());
            assertTrue(yes.out().contains("Deleted Images:") && yes.out().contains("Total reclaimed space:"), yes.out());
            Map<String, Map<String, Object>> after = df();
            assertEquals(1, n(after.get("Containers"), "TotalCount"), "the running one stays");
            assertEquals(images - 1, n(after.get("Images"), "TotalCount"), "only the dangling image went");
            assertFalse(hutch("network", "ls").out().contains(net));
            assertTrue(hutch("volume", "ls", "-q").out().contains(vol), "volumes only with --volumes");
            assertEquals(1, n(after.get("Local Volumes"), "TotalCount"), "the anonymous one went with its container");

            hutch("rm", "-f", running);
            HutchProcess.Result vols = hutch("system", "prune", "-a", "--volumes", "-f");
            assertEquals(0, vols.code(), vols.err());
            assertTrue(vols.out().contains("Deleted Volumes:\n" + vol + "\n"), vols.out());
            assertEquals(0, n(df().get("Local Volumes"), "TotalCount"));
            assertFalse(hutch("images").out().contains("hutch-test-prune"), "-a: every image no container uses");
        } finally {
            hutch("rm", "-f", running, "stopped-" + tag);
            hutch("rmi", image);
            hutch("network", "rm", net);
            hutch("volume", "rm", "-f", vol);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
