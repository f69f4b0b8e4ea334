package dev.hutch.rootfs.recipe;

import dev.hutch.HutchException;
import dev.hutch.archive.TarBuilder;
import dev.hutch.image.ImageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cache keys, recipe checks, copy scans and config steps: pure logic, no root, no containers. */
class RecipePlanningTest {
    @TempDir
    Path tmp;

    private static final String PARENT = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    @Test
    void cacheKeyDependsOnParentKindArgsAndContent() {
        Step run = Step.run(List.of("sh", "-c", "echo hi"), "r.groovy:2");
        String k = CacheKey.of(PARENT, run, null);
        assertTrue(k.matches("[0-9a-f]{64}"));
        assertEquals(k, CacheKey.of(PARENT, Step.run(List.of("sh", "-c", "echo hi"), "elsewhere:9"), null), "the line is not part of the key");
        assertNotEquals(k, CacheKey.of(OTHER, run, null), "another parent");
        assertNotEquals(k, CacheKey.of(PARENT, Step.run(List.of("sh", "-c", "echo ho"), null), null), "another command");
        assertNotEquals(CacheKey.of(PARENT, Step.run(List.of("a b", "c"), null), null),
                CacheKey.of(PARENT, Step.run(List.of("a", "b c"), null), null), "argument boundaries count");
        assertNotEquals(CacheKey.of(PARENT, Step.cmd(List.of("x"), null), null),
                CacheKey.of(PARENT, Step.entrypoint(List.of("x"), null), null), "the kind counts");
        Step copy = Step.copy("site/", "/www/", null);
        assertNotEquals(CacheKey.of(PARENT, copy, "sha256:1"), CacheKey.of(PARENT, copy, "sha256:2"), "the copied content counts");
    }

    @Test
    void singleStringRunIsShellForm() {
        assertEquals(List.of("/bin/sh", "-c", "echo hi > /x"), Step.run(List.of("echo hi > /x"), null).args());
        assertEquals(List.of("echo", "hi"), Step.run(List.of("echo", "hi"), null).args());
        assertEquals("RUN /bin/sh -c 'echo hi > /x'", Step.run(List.of("echo hi > /x"), null).describe());
    }

    @Test
    void badStepsAreRefusedWithAnExample() {
        assertTrue(assertThrows(HutchException.class, () -> Step.run(List.of(), null)).getMessage().contains("try:"));
        assertTrue(assertThrows(HutchException.class, () -> Step.env("A B", "x", null)).getMessage().contains("not a variable name"));
        assertTrue(assertThrows(HutchException.class, () -> Step.from(" ", null)).getMessage().contains("from 'busybox'"));
    }

    @Test
    void aRecipeStartsWithOneFrom() {
        HutchException none = assertThrows(HutchException.class, () -> RecipeBuilder.plan(List.of(), tmp));
        assertTrue(none.getMessage().contains("no steps"), none.getMessage());
        HutchException notFirst = assertThrows(HutchException.class,
                () -> RecipeBuilder.plan(List.of(Step.env("A", "1", "r.groovy:1"), Step.from("busybox", "r.groovy:2")), tmp));
        assertTrue(notFirst.getMessage().contains("step 1 (r.groovy:1): a recipe starts with from"), notFirst.getMessage());
        HutchException second = assertThrows(HutchException.class,
                () -> RecipeBuilder.plan(List.of(Step.from("busybox", null), Step.from("busybox", "r.groovy:5")), tmp));
        assertTrue(second.getMessage().contains("step 2 (r.groovy:5): a second from"), second.getMessage());
    }

    @Test
    void planScansCopiesAndRefusesSourcesOutsideTheContext() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(Files.createDirectories(ctx.resolve("site")).resolve("index.html"), "hi\n");
        Files.writeString(tmp.resolve("secret"), "no\n");
        Files.createSymbolicLink(ctx.resolve("escape"), tmp.resolve("secret"));
        Step from = Step.from("busybox", null);

        Map<Integer, ContextCopy> copies = RecipeBuilder.plan(List.of(from, Step.copy("site/", "/www/", null)), ctx);
        assertEquals(1, copies.get(2).fileCount());

        for (String bad : List.of("../secret", "/etc/passwd", "escape", "site/../../secret")) {
            HutchException e = assertThrows(HutchException.class,
                    () -> RecipeBuilder.plan(List.of(from, Step.copy(bad, "/x", "r.groovy:3")), ctx), bad);
            assertTrue(e.getMessage().startsWith("step 2 (r.groovy:3): copy '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("build context"), e.getMessage());
        }
        HutchException missing = assertThrows(HutchException.class,
                () -> RecipeBuilder.plan(List.of(from, Step.copy("nope", "/x", null)), ctx));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void contentHashFollowsContentAndModeNotMtime() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Path f = Files.writeString(ctx.resolve("a.txt"), "one\n");
        Step copy = Step.copy("a.txt", "/a.txt", null);
        String h1 = ContextCopy.scan(copy, 2, ctx).contentHash();
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(12345));
        assertEquals(h1, ContextCopy.scan(copy, 2, ctx).contentHash(), "touching a file does not invalidate");
        Files.writeString(f, "two\n");
        String h2 = ContextCopy.scan(copy, 2, ctx).contentHash();
        assertNotEquals(h1, h2);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertNotEquals(h2, ContextCopy.scan(copy, 2, ctx).contentHash(), "the mode counts");
    }

    @Test
    void copyLayerFollowsDockersPathRules() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(Files.createDirectories(ctx.resolve("site/css")).resolve("a.css"), "x");
        Files.writeString(ctx.resolve("site/index.html"), "hi");
        Files.writeString(ctx.resolve("one.txt"), "1");
        assertEquals(List.of("www/", "www/css/", "www/css/a.css", "www/index.html"), names(Step.copy("site", "/www", null), ctx, null));
        assertEquals(List.of("etc/", "etc/one.txt"), names(Step.copy("one.txt", "/etc/", null), ctx, null));
        assertEquals(List.of("etc/", "etc/renamed"), names(Step.copy("one.txt", "/etc/renamed", null), ctx, null));
        assertEquals(List.of("srv/", "srv/app/", "srv/app/one.txt"), names(Step.copy("one.txt", "app/", null), ctx, "/srv"), "relative to workdir");
        // deterministic: the same content gives the same tar bytes
        assertArrayEquals(bytes(ContextCopy.scan(Step.copy("site", "/www", null), 2, ctx).layer(null, r -> -1)),
                bytes(ContextCopy.scan(Step.copy("site", "/www", null), 2, ctx).layer(null, r -> -1)));
    }

    @Test
    void configStepsFollowTheDockerfile() {
        ImageConfig base = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("sh"), null, null, List.of(), null);
        ImageConfig c = ConfigSteps.apply(base, Step.env("GREETING", "hello", null), false);
        assertEquals(List.of(ImageConfig.DEFAULT_ENV.get(0), "GREETING=hello"), c.env());
        c = ConfigSteps.apply(c, Step.env("PATH", "/bin", null), false);
        assertEquals("PATH=/bin", c.env().get(0), "replaced in place");
        c = ConfigSteps.apply(c, Step.workdir("/www", null), false);
        c = ConfigSteps.apply(c, Step.workdir("sub/../docs", null), false);
        assertEquals("/www/docs", c.workdir());
        assertEquals("nobody", ConfigSteps.apply(c, Step.user("nobody", null), false).user());
        assertEquals(Map.of("team", "core"), ConfigSteps.apply(c, Step.label("team", "core", null), false).labels());
        ImageConfig ep = ConfigSteps.apply(c, Step.entrypoint(List.of("httpd"), null), false);
        assertEquals(List.of("httpd"), ep.entrypoint());
        assertEquals(List.of(), ep.cmd(), "an entrypoint drops the base image's cmd");
        assertEquals(List.of("sh"), ConfigSteps.apply(c, Step.entrypoint(List.of("httpd"), null), true).cmd(), "but keeps the recipe's own");
        assertFalse(Step.Kind.RUN.configOnly());
        assertTrue(Step.Kind.LABEL.configOnly());
    }

    @Test
    void buildCacheStoresOneFilePerKey() {
        BuildCache cache = new BuildCache(tmp);
        String key = CacheKey.of(PARENT, Step.cmd(List.of("x"), null), null);
        assertNull(cache.get(key));
        cache.put(key, OTHER);
        assertEquals(OTHER, cache.get(key));
        assertTrue(Files.isRegularFile(tmp.resolve("build-cache").resolve(key)));
    }

    private static List<String> names(Step copy, Path ctx, String workdir) throws Exception {
        byte[] tar = bytes(ContextCopy.scan(copy, 2, ctx).layer(workdir, r -> -1));
        List<String> out = new java.util.ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            for (var e = in.getNextTarEntry(); e != null; e = in.getNextTarEntry()) out.add(e.getName());
        }
        return out;
    }

    private static byte[] bytes(TarBuilder t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.write(out);
        return out.toByteArray();
    }
}
