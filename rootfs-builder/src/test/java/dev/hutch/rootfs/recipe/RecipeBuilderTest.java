package dev.hutch.rootfs.recipe;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Engines;
import dev.hutch.engine.Started;
import dev.hutch.image.HistoryEntry;
import dev.hutch.image.LocalImageStore;
import dev.hutch.logs.LogEntry;
import dev.hutch.rootfs.BusyboxImage;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recipes built for real: containers for run steps, layers in the store, the build cache. */
@RequiresRoot
class RecipeBuilderTest {
    static TestRoots roots;
    static Engine engine;
    static LocalImageStore store;

    @TempDir
    Path ctx;

    final List<String> lines = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config(), new BusyboxImage());
        store = engine.images();
    }

    @AfterAll
    static void tearDown() {
        if (roots != null) roots.close();
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), roots.leftoverContainers(), "a build left containers");
    }

    private BuildReport build(List<Step> steps, String tag) {
        lines.clear();
        BuildReport r = new RecipeBuilder(engine, lines::add).build(steps, ctx, new RecipeBuilder.Options(List.of(tag), false));
        System.out.println(String.join("\n", lines));
        return r;
    }

    private List<Step> siteRecipe(String runCommand) throws Exception {
        Files.writeString(Files.createDirectories(ctx.resolve("site")).resolve("index.html"), "<h1>hi</h1>\n");
        return List.of(
                Step.from("busybox", "t:1"),
                Step.run(List.of(runCommand), "t:2"),
                Step.copy("site/", "/www/", "t:3"),
                Step.env("GREETING", "hello", "t:4"),
                Step.workdir("/www", "t:5"),
                Step.cmd(List.of("sh", "-c", "cat /hello index.html; echo $GREETING from $(pwd)"), "t:6"));
    }

    @Test
    void runCopyEnvCmdBuildAndTheImageRuns() throws Exception {
        BuildReport r = build(siteRecipe("echo built > /hello"), "recipe/site:1");
        assertEquals(1, r.containersStarted());
        assertEquals(r.imageId(), store.resolve("recipe/site:1").id());
        assertEquals("built\n<h1>hi</h1>\nhello from /www\n", runImage("recipe/site:1"));

        // run and copy made layers; env, workdir and cmd only history entries
        var doc = store.document(r.imageId());
        var busybox = store.document(store.resolve("busybox").id());
        assertEquals(busybox.diffIds().size() + 2, doc.diffIds().size());
        List<HistoryEntry> added = doc.history().subList(busybox.history().size(), doc.history().size());
        assertEquals(List.of(false, false, true, true, true), added.stream().map(HistoryEntry::emptyLayer).toList());
        assertTrue(added.get(1).createdBy().startsWith("COPY site/ /www/"), added.get(1).createdBy());
        assertTrue(lines.stream().anyMatch(l -> l.equals("Step 2/6 : RUN /bin/sh -c 'echo built > /hello'")), lines.toString());
    }

    @Test
    void aRecipeRebuiltUnchangedReusesEveryLayer() throws Exception {
        List<Step> recipe = siteRecipe("echo again > /hello");
        BuildReport first = build(recipe, "recipe/again:1");
        int images = store.list().size();
        BuildReport second = build(recipe, "recipe/again:2");
        assertTrue(second.allCached(), second.steps().toString());
        assertEquals(0, second.containersStarted(), "no container started");
        assertEquals(first.imageId(), second.imageId());
        assertEquals(images, store.list().size(), "no new image");
        assertEquals(6, lines.stream().filter(l -> l.startsWith(" ---> CACHED ")).count(), lines.toString());
    }

    @Test
    void changingOneRunStepRebuildsItAndTheStepsAfterIt() throws Exception {
        List<Step> recipe = new ArrayList<>(siteRecipe("echo v1 > /hello"));
        recipe.add(2, Step.run(List.of("sh", "-c", "echo second > /second"), "t:2b"));
        BuildReport first = build(recipe, "recipe/change:1");
        recipe.set(2, Step.run(List.of("sh", "-c", "echo changed > /second"), "t:2b"));
        BuildReport second = build(recipe, "recipe/change:2");
        assertEquals("CACHED CACHED RUN RUN RUN RUN RUN", statuses(second));
        assertEquals(1, second.containersStarted());
        assertEquals(first.steps().get(1).imageId(), second.steps().get(1).imageId(), "the unchanged run step's image is reused");
        assertNotEquals(first.imageId(), second.imageId());

        // an edited copied file rebuilds the copy step and what follows, not the runs before it
        Files.writeString(ctx.resolve("site/index.html"), "<h1>edited</h1>\n");
        BuildReport third = build(recipe, "recipe/change:3");
        assertEquals("CACHED CACHED CACHED RUN RUN RUN RUN", statuses(third));
        assertEquals("v1\n<h1>edited</h1>\nhello from /www\n", runImage("recipe/change:3"));
    }

    @Test
    void aFailingRunStepFailsWithItsExitCodeAndLeavesNothing() throws Exception {
        build(List.of(Step.from("busybox", null)), "recipe/base:1"); // busybox exists before counting
        int images = store.list().size();
        var layers = store.layers().digests();
        List<Step> recipe = List.of(Step.from("busybox", "bad.groovy:1"),
                Step.run(List.of("sh", "-c", "echo about to fail; echo on stderr >&2; touch /half; exit 3"), "bad.groovy:2"),
                Step.cmd(List.of("sh"), "bad.groovy:3"));
        HutchException e = assertThrows(HutchException.class, () -> build(recipe, "recipe/bad:1"));
        System.out.println(e.getMessage());
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().startsWith("step 2 (bad.groovy:2) of 3 failed: RUN sh -c"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("about to fail") && e.getMessage().contains("on stderr"), e.getMessage());
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(images, store.list().size(), "no image was made");
        assertEquals(layers, store.layers().digests(), "no layer was made");
        assertEquals(null, store.find("recipe/bad:1"));
    }

    @Test
    void aCopyFromOutsideTheContextIsRefusedBeforeAnythingRuns() throws Exception {
        Path secret = Files.writeString(ctx.getParent().resolve("hutch-recipe-secret-" + ProcessHandle.current().pid()), "x");
        try {
            int images = store.list().size();
            List<Step> recipe = List.of(Step.from("busybox", null), Step.run(List.of("touch /ran"), null),
                    Step.copy("../" + secret.getFileName(), "/secret", "t:3"));
            HutchException e = assertThrows(HutchException.class, () -> build(recipe, "recipe/outside:1"));
            assertTrue(e.getMessage().contains("outside the build context"), e.getMessage());
            assertEquals(images, store.list().size());
            assertTrue(lines.isEmpty(), "no step started: " + lines);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    private static String statuses(BuildReport r) {
        return r.steps().stream().map(s -> s.status().name()).collect(Collectors.joining(" "));
    }

    /** Runs the image's default command; its output. */
    private static String runImage(String image) {
        Started s = engine.run(ContainerSpec.builder(image).name("recipe-check-" + System.nanoTime()).network("none").build(), true);
        try {
            engine.waitFor(s.id());
            for (int i = 0; i < 100 && engine.exitRecord(s.id()) == null; i++) Thread.sleep(20);
            return engine.logs(s.id()).read(-1, null).stream().map(LogEntry::text).collect(Collectors.joining());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            engine.remove(s.id(), true, true);
        }
    }
}
