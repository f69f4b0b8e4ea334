package dev.hutch.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite's last word is scripts/leak-check.sh, which judges only what is new since the footprint
 * it recorded before the tests. This checks that the baseline hides nothing it should not: real
 * leftovers of each kind, planted after the baseline, are reported (exit 1), and once removed the
 * check passes again.
 */
@RequiresRoot
@RequiresCommand("ip")
class LeakCheckTest {

    private static final Path SCRIPT = Path.of(System.getProperty("hutch.repo.root", "..")).resolve("scripts/leak-check.sh");

    @Test
    void reportsWhatWasPlantedAfterTheBaselineAndNothingElse(@TempDir Path tmp) throws Exception {
        String tag = Long.toHexString(System.nanoTime() & 0xffffff);
        String link = "hutchlk" + tag;
        Path stateDir = Path.of("/tmp/hutch-test-lk" + tag + "/run/containers/planted");
        Path netns = Path.of("/var/run/netns/hutch-leakcheck-" + tag);
        Path cgroup = hutchCgroupParent().resolve("leakcheck-" + tag);
        // What the check must say of each planted thing. (Assertions name these lines rather than
        // expecting an empty report: other hutch work on a shared host may come and go meanwhile.)
        Path serviceDir = Path.of("/tmp/hutch-engine-test-lk" + tag);
        List<String> planted = List.of("network link: " + link, "container state dir: " + stateDir,
                "netns file: " + netns.getFileName(), "cgroup: " + cgroup, "engine service test dir: " + serviceDir,
                "...Main engine serve --leakcheck-" + tag);

        Path baseline = tmp.resolve("baseline");
        assertEquals(0, run("--record", baseline.toString()).code);
        assertNoneReported(run("--since", baseline.toString()), planted);

        List<Runnable> undo = new ArrayList<>();
        try {
            sh("ip", "link", "add", link, "type", "bridge");
            undo.add(() -> sh("ip", "link", "del", link));
            Files.createDirectories(stateDir);
            undo.add(() -> delete(stateDir.getParent().getParent().getParent()));
            Files.createDirectories(netns.getParent());
            Files.createFile(netns);
            undo.add(() -> delete(netns));
            boolean madeParent = !Files.isDirectory(cgroup.getParent());
            Files.createDirectories(cgroup);
            undo.add(() -> { delete(cgroup); if (madeParent) delete(cgroup.getParent()); });
            Files.createDirectories(serviceDir);
            undo.add(() -> delete(serviceDir));
            // An engine service as ps shows one: a sleep named like it (exec -a), ended by its pid.
            Process service = new ProcessBuilder("bash", "-c", "exec -a 'java -cp x dev.hutch.cli.Main engine serve --leakcheck-"
                    + tag + "' sleep 120").start();
            undo.add(() -> { service.destroyForcibly(); waitFor(service); });

            Result leaked = run("--since", baseline.toString());
            assertEquals(1, leaked.code, leaked.out);
            for (String line : planted) assertTrue(leaked.out.contains(line), "not reported: " + line + "\n" + leaked.out);
        } finally {
            for (int i = undo.size() - 1; i >= 0; i--) undo.get(i).run();
        }
        assertNoneReported(run("--since", baseline.toString()), planted);
        // And with nothing new, it passes: a baseline of this moment, checked at once (a few
        // tries, since other hutch work on a shared host can land between the two).
        Result clean = null;
        for (int attempt = 0; attempt < 5 && (clean == null || clean.code != 0); attempt++) {
            Path now = tmp.resolve("now" + attempt);
            assertEquals(0, run("--record", now.toString()).code);
            clean = run("--since", now.toString());
        }
        assertEquals(0, clean.code, clean.out);
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertNoneReported(Result r, List<String> planted) {
        for (String line : planted) assertFalse(r.out.contains(line), "reported though not there: " + line + "\n" + r.out);
    }

    /** hutch's own parent on some hierarchy: the unified one on a pure v2 host, else v1 pids. */
    private static Path hutchCgroupParent() {
        Path root = Path.of("/sys/fs/cgroup");
        if (Files.exists(root.resolve("cgroup.controllers"))) return root.resolve("hutch");
        return root.resolve("pids/hutch");
    }

    private record Result(int code, String out) {}

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "leak-check.sh did not finish");
        return new Result(p.exitValue(), out);
    }

    private static void sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path p) {
        try {
            if (Files.isDirectory(p) && !p.startsWith("/sys")) org.apache.commons.io.FileUtils.deleteDirectory(p.toFile());
            else Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new IllegalStateException("could not remove the planted " + p + ": " + e.getMessage(), e);
        }
    }
}
