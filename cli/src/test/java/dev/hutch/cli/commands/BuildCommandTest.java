package dev.hutch.cli.commands;

import dev.hutch.cli.HutchProcess;
import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hutch build as a user runs it, in a separate process: step lines, the cache, exit 125 on a failed step. */
@RequiresRoot
class BuildCommandTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    static Result hutch(String... args) {
        return HutchProcess.run(roots.environment(), List.of("-verbose:class"), args);
    }

    /** -verbose:class lines out, the command's own output kept. */
    static String printed(Result r) {
        return r.out().lines().filter(l -> !l.startsWith("[")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void buildPrintsEveryStepAndRebuildsFromTheCache() throws Exception {
        Path ctx = Files.createDirectories(roots.dir().resolve("ctx"));
        Files.writeString(ctx.resolve("motd"), "from the context\n");
        Files.writeString(ctx.resolve("recipe.groovy"), """
                from 'busybox'
                run 'echo ran > /ran'
                copy 'motd', '/etc/motd'
                cmd 'cat', '/ran', '/etc/motd'
                """);
        Result first = hutch("build", "-f", ctx.resolve("recipe.groovy").toString(), "-t", "cli/built:1");
        assertEquals(0, first.code(), first.err());
        String out = printed(first);
        assertTrue(out.contains("Step 2/4 : RUN /bin/sh -c 'echo ran > /ran'\n ---> RUN "), out);
        assertTrue(out.contains("Successfully tagged cli/built:1"), out);

        Result again = hutch("build", "-t", "cli/built:2", ctx.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(4, printed(again).lines().filter(l -> l.startsWith(" ---> CACHED ")).count(), printed(again));

        Result run = hutch("run", "--rm", "--network", "none", "cli/built:2");
        assertEquals("ran\nfrom the context\n", printed(run), run.err());
        assertFalse(run.out().contains("groovy"), "hutch run loads no Groovy class");
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aFailedStepExits125WithTheStepAndItsCode() throws Exception {
        Path ctx = Files.createDirectories(roots.dir().resolve("bad"));
        Files.writeString(ctx.resolve("recipe.groovy"), "from 'busybox'\nrun 'sh', '-c', 'echo nope; exit 7'\n");
        Result r = hutch("build", "-t", "cli/bad", ctx.toString());
        assertEquals(125, r.code(), r.err());
        assertTrue(r.err().startsWith("hutch: step 2 (recipe.groovy:2) of 2 failed: RUN sh -c 'echo nope; exit 7' exited with code 7"), r.err());
        assertTrue(r.err().contains("nope"), r.err());
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
