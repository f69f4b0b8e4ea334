package dev.hutch.dsl.shell;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.container.ContainerBuilder;
import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.dsl.network.NetworkBuilder;
import dev.hutch.dsl.recipe.RecipeSteps;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * :doc reads docs/dsl.md from the jar; these keep the two in step: the jar's copy is the file in
 * docs/, and every public word of the DSL's classes has a row there, so a word added to the code
 * without a line in the reference fails the build.
 */
class DslDocTest {
    private static final Path DOC = Path.of(System.getProperty("hutch.repo.root", "..")).resolve("docs/dsl.md");

    @Test
    void theJarCarriesDocsDslMdAsItIs() throws Exception {
        try (var in = DslDoc.class.getResourceAsStream(DslDoc.RESOURCE)) {
            assertNotNull(in, DslDoc.RESOURCE + " in the dsl jar");
            assertEquals(Files.readString(DOC), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Public for hutch's own code (the runner, the cleanup, the recipe builder), not words of a script. */
    private static final List<String> HUTCH_INTERNAL = List.of("build", "removeQuietly", "steps");

    @Test
    void everyWordOfTheDslIsDocumented() {
        DslDoc doc = DslDoc.load();
        TreeSet<String> missing = new TreeSet<>();
        for (Class<?> c : List.of(HutchScript.class, ContainerBuilder.class, ContainerHandle.class, NetworkBuilder.class, RecipeSteps.class)) {
            for (String w : ShellCompleter.methods(c)) {
                if (!doc.words().contains(w) && !HUTCH_INTERNAL.contains(w)) missing.add(c.getSimpleName() + "." + w);
            }
        }
        assertEquals(new TreeSet<>(), missing, "words with no row in docs/dsl.md (add one to its tables)");
    }

    @Test
    void aWordsDocumentationNamesItsSection() {
        DslDoc doc = DslDoc.parse("""
                ## Describing a container
                | DSL | flag | notes |
                |---|---|---|
                | `memory 64.mb` / `memory '64m'` | `-m` | bytes |
                ## Samples
                | [`memory.groovy`](x) | a sample |
                """);
        assertEquals("memory 64.mb / memory '64m'    [Describing a container]\n    -m; bytes", doc.describe("memory"));
        assertNull(doc.describe("cpus"));
        assertEquals(List.of("memory"), List.copyOf(doc.words()));
    }
}
