package dev.hutch.samples;

import dev.hutch.dsl.ScriptRunner;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Engines;
import dev.hutch.rootfs.BusyboxImage;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample script is a smoke test: it runs through the script runner (what {@code hutch script}
 * runs) on private engine roots, must end with exit code 0 (each sample asserts what it shows), and
 * must leave nothing: no container state dir, no user network.
 */
@RequiresRoot
class SamplesTest {
    /** Arguments for samples that take some, to keep the suite short. */
    private static final Map<String, List<String>> ARGS = Map.of("cpu-quota.groovy", List.of("1"));

    static TestRoots roots;
    static Engine engine;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config(), new BusyboxImage());
    }

    @AfterAll
    static void tearDown() {
        if (roots != null) roots.close();
    }

    static Path samplesDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("samples")) && !here.endsWith("samples") ? here.resolve("samples") : here;
    }

    static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(samplesDir())) {
            return s.filter(p -> p.toString().endsWith(".groovy")).sorted().toList();
        }
    }

    @Test
    void thereAreAtLeastEightSamples() throws IOException {
        assertTrue(samples().size() >= 8, "samples: " + samples());
    }

    @TestFactory
    Stream<DynamicTest> eachSampleRunsAndLeavesNothing() throws IOException {
        return samples().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> runSample(p)));
    }

    private static void runSample(Path sample) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new ScriptRunner(() -> engine, o, e, true)
                    .run(sample, ARGS.getOrDefault(sample.getFileName().toString(), List.of()));
        }
        String stdout = out.toString(StandardCharsets.UTF_8), stderr = err.toString(StandardCharsets.UTF_8);
        System.out.println("== " + sample.getFileName() + "\n" + stdout + stderr);
        assertEquals(0, code, sample.getFileName() + " failed:\n" + stderr);
        assertEquals(List.of(), roots.leftoverContainers(), sample.getFileName() + " left containers");
        assertEquals(List.of(), userNetworks(), sample.getFileName() + " left networks");
    }

    private static List<String> userNetworks() throws IOException {
        Path nets = roots.config().networksDir();
        if (!Files.isDirectory(nets)) return List.of();
        try (Stream<Path> s = Files.list(nets)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals("bridge")).toList();
        }
    }
}
