package dev.hutch.dsl.recipe;

import dev.hutch.HutchException;
import dev.hutch.rootfs.recipe.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recipe.groovy files read into steps, with their lines; mistakes reported at the line. No root. */
class RecipeFileTest {
    @TempDir
    Path tmp;

    @Test
    void aRecipeReadsLikeADockerfile() throws Exception {
        Path f = Files.writeString(tmp.resolve("recipe.groovy"), """
                from 'busybox'
                run 'sh', '-c', 'echo hi > /hello'
                run 'echo shell form > /shell'
                copy 'site/', '/www/'
                env 'GREETING', 'hello'
                env LANG: 'C', TZ: 'UTC'
                workdir '/www'
                user 0
                cmd 'httpd', '-f', '-p', 80
                entrypoint '/bin/sh', '-c'
                label 'team', 'core'
                """);
        List<Step> steps = RecipeFile.load(f);
        assertEquals(List.of("FROM", "RUN", "RUN", "COPY", "ENV", "ENV", "ENV", "WORKDIR", "USER", "CMD", "ENTRYPOINT", "LABEL"),
                steps.stream().map(s -> s.kind().name()).toList());
        assertEquals(List.of("sh", "-c", "echo hi > /hello"), steps.get(1).args());
        assertEquals(List.of("/bin/sh", "-c", "echo shell form > /shell"), steps.get(2).args());
        assertEquals(List.of("LANG", "C"), steps.get(5).args());
        assertEquals(List.of("0"), steps.get(8).args());
        assertEquals(List.of("httpd", "-f", "-p", "80"), steps.get(9).args());
        assertEquals("recipe.groovy:1", steps.get(0).origin());
        assertEquals("recipe.groovy:4", steps.get(3).origin());
        assertEquals("recipe.groovy:11", steps.get(11).origin());
    }

    @Test
    void aMistakeIsReportedAtTheRecipesLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.groovy"), "from 'busybox'\n\nenv 'NOT A NAME', 'x'\n");
        HutchException e = assertThrows(HutchException.class, () -> RecipeFile.load(f));
        assertTrue(e.getMessage().startsWith("bad.groovy:3: env: \"NOT A NAME\" is not a variable name"), e.getMessage());

        Path typo = Files.writeString(tmp.resolve("typo.groovy"), "from 'busybox'\nrunn 'true'\n");
        HutchException t = assertThrows(HutchException.class, () -> RecipeFile.load(typo));
        assertTrue(t.getMessage().startsWith("typo.groovy:2: MissingMethodException"), t.getMessage());

        Path syntax = Files.writeString(tmp.resolve("syntax.groovy"), "from 'busybox'\nrun 'a\n");
        HutchException s = assertThrows(HutchException.class, () -> RecipeFile.load(syntax));
        assertTrue(s.getMessage().startsWith("syntax.groovy:2:"), s.getMessage());
        assertEquals(125, s.exitCode());
    }

    @Test
    void aMissingRecipeSaysSo() {
        HutchException e = assertThrows(HutchException.class, () -> RecipeFile.load(tmp.resolve("nope.groovy")));
        assertTrue(e.getMessage().contains("cannot read the recipe"), e.getMessage());
    }
}
