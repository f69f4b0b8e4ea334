package dev.hutch.cli;

import dev.hutch.bench.LimitBenchmark;
import dev.hutch.bench.Options;
import dev.hutch.bench.Results;
import dev.hutch.engine.Engine;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A small real run of the resource-limit benchmark: every workload measures something, the files
 * are written, and nothing is left behind (TestRoots.close fails on a leftover container or cgroup).
 */
@RequiresRoot
class LimitBenchmarkTest {

    @Test
    void smallRunMeasuresEveryLimitAndLeavesNothing(@TempDir Path out) throws Exception {
        long mib = 1024 * 1024;
        Options small = new Options("busybox", List.of(0.5), Duration.ofMillis(500), Duration.ofSeconds(1),
                List.of(32 * mib), 100 * mib, 256 * 1024, 16 * mib, 2 * mib, List.of(16L), 10 * mib, Duration.ofSeconds(1));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Results r;
        try (TestRoots roots = new TestRoots()) {
            Engine engine = Engines.forHost(roots.config());
            r = LimitBenchmark.run(engine, small, new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertEquals(List.of(), engine.list(true), "every workload container was removed");
        }
        String shown = progress.toString(StandardCharsets.UTF_8);
        System.out.println(shown);
        assertTrue(shown.contains("--cpus 0.5"), "progress names each step: " + shown);
        assertEquals(List.of(), r.notes(), "no section failed");

        assertEquals(1, r.cpu().size());
        assertTrue(r.cpu().get(0).throttledPeriods() > 0, "the spinners ran into the quota");
        assertTrue(r.cpu().get(0).achieved() <= 0.55, "usage held at the quota: " + r.cpu().get(0).achieved());

        Results.MemoryRow mem = r.memory().get(0);
        assertTrue(mem.oomKilled() && mem.oomKills() > 0 && mem.exitCode() == 137, mem.toString());
        assertTrue(mem.held(), "peak at most the limit: " + mem);

        assertNotNull(r.minMemory());
        assertTrue(r.minMemory().smallestWorking() > 0 && r.minMemory().smallestWorking() <= 16 * mib, r.minMemory().toString());

        assertEquals(16, r.pids().get(0).reached(), "the fork loop reached the limit and no further");

        assertNotNull(r.io());
        if (r.io().skipped() == null) assertTrue(r.io().achieved() > 0, r.io().toString());
        else System.err.println("io skipped: " + r.io().skipped());

        for (Path p : r.writeTo(out)) assertTrue(Files.size(p) > 0, p + " is empty");
    }
}
