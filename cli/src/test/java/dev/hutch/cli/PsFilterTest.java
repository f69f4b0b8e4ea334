package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ps --filter label=...}: how what a killed test JVM left is found and removed (docs/junit5.md). */
@RequiresRoot
class PsFilterTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    static Result hutch(String... args) { return HutchProcess.run(roots.environment(), List.of(), args); }

    @Test
    void labelFiltersSelectWhatRmRemoves() {
        String a = hutch("run", "-d", "--network", "none", "-l", "dev.hutch.junit5.run=r1", "-l", "team=x", "busybox", "sleep", "100").out().trim();
        String b = hutch("run", "-d", "--network", "none", "-l", "dev.hutch.junit5.run=r2", "busybox", "sleep", "100").out().trim();
        String c = hutch("run", "-d", "--network", "none", "busybox", "sleep", "100").out().trim();
        try {
            assertEquals(List.of(a), ids("ps", "-aq", "--no-trunc", "--filter", "label=dev.hutch.junit5.run=r1"));
            assertEquals(sorted(a, b), sorted(ids("ps", "-aq", "--no-trunc", "--filter", "label=dev.hutch.junit5.run")), "KEY alone: any value");
            assertEquals(List.of(a), ids("ps", "-aq", "--no-trunc", "-f", "label=dev.hutch.junit5.run", "-f", "label=team=x"), "all filters must hold");
            assertEquals(List.of(), ids("ps", "-aq", "--no-trunc", "--filter", "label=dev.hutch.junit5.run=r3"));

            Result bad = hutch("ps", "--filter", "name=x");
            assertEquals(125, bad.code());
            assertTrue(bad.err().contains("--filter: \"name=x\" is not label=KEY or label=KEY=VALUE"), bad.err());

            List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
            rm.addAll(ids("ps", "-aq", "--no-trunc", "--filter", "label=dev.hutch.junit5.run"));
            assertEquals(0, hutch(rm.toArray(String[]::new)).code());
            assertEquals(List.of(c), roots.leftoverContainers(), "rm -f of the filtered ids removed those and only those");
        } finally {
            hutch("rm", "-f", a, b, c);
        }
    }

    private static List<String> sorted(String... ids) { return sorted(List.of(ids)); }

    private static List<String> sorted(List<String> ids) { return ids.stream().sorted().toList(); }

    private static List<String> ids(String... args) {
        Result r = hutch(args);
        assertEquals(0, r.code(), r.err());
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }
}
