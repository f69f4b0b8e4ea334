package dev.hutch.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's boundary, read from the sources: the packages below the façade (runtime, net,
 * image, cgroup, state, ...) never import {@code dev.hutch.engine}, so dependencies point one way;
 * only {@code bench}, a client of the façade like the CLI and the DSL, may. And no module casts
 * the engine's parts down to their host classes: the façade hands out the types callers need.
 */
class EngineBoundaryTest {
    static final Path REPO = Path.of(System.getProperty("hutch.repo.root", ".."));
    static final Pattern DOWNCAST = Pattern.compile(
            "\\((LocalImageStore|HostNetworking|HostVolumes|HostCgroupManager|PlannedNetwork)\\)\\s*\\w"
                    + "|instanceof (LocalImageStore|HostNetworking|HostVolumes|HostCgroupManager|PlannedNetwork)\\b");

    static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void packagesBelowTheFacadeDoNotImportIt() throws IOException {
        Path main = REPO.resolve("engine/src/main/java/dev/hutch");
        assertTrue(Files.isDirectory(main), main.toString());
        List<String> offenders = new ArrayList<>();
        for (Path f : javaFiles(main)) {
            String pkg = main.relativize(f).getName(0).toString();
            if (pkg.equals("engine") || pkg.equals("bench")) continue;
            for (String line : Files.readAllLines(f))
                if (line.contains("dev.hutch.engine.")) offenders.add(main.relativize(f) + ": " + line.trim());
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void noModuleCastsTheEnginesPartsDown() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("engine", "rootfs-builder", "dsl", "cli", "samples")) {
            for (String tree : List.of("src/main/java", "src/test/java")) {
                Path root = REPO.resolve(module).resolve(tree);
                if (!Files.isDirectory(root)) continue;
                for (Path f : javaFiles(root)) {
                    if (f.getFileName().toString().equals("EngineBoundaryTest.java")) continue;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++)
                        if (DOWNCAST.matcher(lines.get(i)).find()) offenders.add(REPO.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offenders);
    }
}
