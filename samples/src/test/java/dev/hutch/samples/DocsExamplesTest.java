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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every ```groovy block of docs/dsl.md runs as a script and passes: the docs' examples are tested. */
@RequiresRoot
class DocsExamplesTest {
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

    /** The ```groovy blocks of a markdown file, in order. */
    static List<String> groovyBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : markdown.split("\n", -1)) {
            if (cur == null && line.trim().equals("```groovy")) cur = new StringBuilder();
            else if (cur != null && line.trim().equals("```")) { blocks.add(cur.toString()); cur = null; }
            else if (cur != null) cur.append(line).append('\n');
        }
        return blocks;
    }

    static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        Path repo = here.endsWith("samples") ? here.getParent() : here;
        return repo.resolve("docs/dsl.md");
    }

    @Test
    void theReferenceHasExamples() throws IOException {
        assertTrue(groovyBlocks(Files.readString(docs())).size() >= 5);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRuns() throws IOException {
        List<String> blocks = groovyBlocks(Files.readString(docs()));
        return IntStream.range(0, blocks.size()).mapToObj(i ->
                DynamicTest.dynamicTest("docs/dsl.md example " + (i + 1), () -> run("docexample" + (i + 1) + ".groovy", blocks.get(i))));
    }

    private static void run(String name, String code) throws IOException {
        Path f = roots.dir().resolve(name);
        Files.writeString(f, code);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = new ScriptRunner(() -> engine, o, e, true).run(f, List.of());
        }
        assertEquals(0, rc, name + ":\n" + code + "\nfailed:\n" + err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), roots.leftoverContainers(), name + " left containers");
    }
}
