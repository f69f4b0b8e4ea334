package dev.hutch.cli;

import dev.hutch.cli.commands.Commands;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The completion scripts as a shell uses them: bash sources {@code hutch completion bash}, the
 * test sets COMP_WORDS and COMP_CWORD (and COMP_LINE where bash would split a word on ':'), calls
 * the completion function and reads COMPREPLY. The names come from a container, an image tag, a
 * network and a volume this test made on its own roots, through the hutch on the command line.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CompletionTest {
    static TestRoots roots;
    static Map<String, String> env;
    static Path script, bin;
    static String container, image, network, volume;

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        env = new HashMap<>(roots.environment());
        env.put("HUTCH_ENGINE", "off");
        container = "cmpl-c-" + roots.tag();
        image = "cmpl-i-" + roots.tag() + ":v1";
        network = "cmpl-n-" + roots.tag();
        volume = "cmpl-v-" + roots.tag();
        ok("create", "--name", container, "busybox", "sleep", "60");
        ok("tag", "busybox", image);
        ok("network", "create", network);
        ok("volume", "create", volume);
        // "hutch" as the user types it: the scripts run it to ask for names
        bin = Files.createDirectories(roots.dir().resolve("bin"));
        Path hutch = bin.resolve("hutch");
        String quoted = HutchProcess.command(List.of()).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Files.writeString(hutch, "#!/bin/sh\nexec " + quoted + " \"$@\"\n");
        Files.setPosixFilePermissions(hutch, PosixFilePermissions.fromString("rwxr-xr-x"));
        script = roots.dir().resolve("hutch.bash");
        Files.writeString(script, ok("completion", "bash").out());
    }

    @AfterAll
    static void tearDown() {
        if (roots == null) return;
        try {
            HutchProcess.runShown(env, "rm", "-f", container);
            HutchProcess.runShown(env, "rmi", image);
            HutchProcess.runShown(env, "network", "rm", network);
            HutchProcess.runShown(env, "volume", "rm", volume);
        } finally {
            roots.close();
        }
    }

    static HutchProcess.Result ok(String... args) {
        HutchProcess.Result r = HutchProcess.runShown(env, args);
        assertEquals(0, r.code(), "hutch " + String.join(" ", args) + ": " + r.err());
        return r;
    }

    /** COMPREPLY after the completion function ran for these words (the last is the one completed). */
    static Set<String> complete(String... words) throws Exception { return bash(null, words); }

    /** The same with COMP_LINE set, as bash sets it: the line up to the cursor, unsplit. */
    static Set<String> completeLine(String line) throws Exception { return bash(line, line.split(" ", -1)); }

    private static Set<String> bash(String line, String... words) throws Exception {
        StringBuilder sh = new StringBuilder("source '" + script + "' || exit 99\nCOMP_WORDS=(");
        for (String w : words) sh.append(" '").append(w).append("'");
        sh.append(")\nCOMP_CWORD=").append(words.length - 1).append('\n');
        if (line != null) sh.append("COMP_LINE='").append(line).append("'\nCOMP_POINT=").append(line.length()).append('\n');
        sh.append("_hutch || exit 98\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
        ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", sh.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        HutchProcess.withServiceEnvironment(pb);
        HutchProcess.Result r = HutchProcess.capture(pb, null, "bash completion of " + String.join(" ", words));
        System.out.println("complete [" + String.join(" ", words) + "] -> " + r.out().strip().replace('\n', ' '));
        assertEquals(0, r.code(), "bash: " + r.err());
        assertEquals("", r.err(), "completion must be silent");
        return r.out().lines().filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void completesEveryVerbOfHelpAndTheSubVerbsOfManagementCommands() throws Exception {
        assertEquals(new TreeSet<>(Commands.names()), complete("hutch", ""));
        assertEquals(Set.of("network", "netns"), complete("hutch", "ne"));
        assertEquals(Set.of("create", "ls", "inspect", "rm", "connect", "disconnect"), complete("hutch", "network", ""));
        assertEquals(Set.of("df", "prune", "info"), complete("hutch", "system", ""));
        assertTrue(complete("hutch", "image", "").containsAll(List.of("ls", "rm", "prune", "inspect", "tag")));
        assertEquals(Set.of("bash", "zsh", "fish"), complete("hutch", "completion", ""));
    }

    @Test
    void completesTheFlagsOfRunLongAndShortFromItsFlagTable() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (Flags.Spec s : Commands.find("run").flags().specs()) {
            expected.add("--" + s.longName());
            if (s.shortName() != null) expected.add("-" + s.shortName());
        }
        assertTrue(expected.containsAll(List.of("--detach", "-d", "--memory", "-m", "--network", "-v")), expected.toString());
        assertEquals(expected, complete("hutch", "run", "-"));
        assertEquals(Set.of("--network", "--net", "--network-alias"), complete("hutch", "run", "--ne"));
        assertEquals(Set.of("--all", "-a", "--volumes", "--force", "-f"), complete("hutch", "system", "prune", "-"));
    }

    @Test
    void completesTheNamesOfWhatTheTestMade() throws Exception {
        assertTrue(complete("hutch", "rm", "-f", "").contains(container));
        assertTrue(complete("hutch", "rename", "").contains(container));
        assertEquals(Set.of(), complete("hutch", "rename", container, ""), "NEW_NAME is free text");
        assertTrue(complete("hutch", "network", "connect", network, "").contains(container));
        // run IMAGE: after flags and their values (-e takes one), the first operand is an image
        Set<String> images = complete("hutch", "run", "-d", "-e", "A=b", "");
        assertTrue(images.contains(image) && images.contains("busybox:latest"), images.toString());
        assertTrue(complete("hutch", "rmi", "").contains(image));
        // bash splits "name:tag" at the colon: only the tag is left to complete
        assertEquals(Set.of("v1"), completeLine("hutch rmi " + image.replace(":v1", ":")));
        assertTrue(complete("hutch", "run", "--network", "").contains(network));
        assertTrue(complete("hutch", "network", "rm", "").contains(network));
        assertTrue(complete("hutch", "run", "-v", "").contains(volume));
        assertTrue(complete("hutch", "volume", "rm", "").contains(volume));
    }

    @Test
    void completesNothingOfItsOwnWhereTheWordIsFreeAndStaysSilentWhenHutchFails() throws Exception {
        // what follows run's image is the container's command: left to the shell's file names
        assertEquals(Set.of(), complete("hutch", "run", "busybox", ""));
        // created, not running: stop offers running containers only
        assertTrue(!complete("hutch", "stop", "").contains(container));
        // a run root that is a file: hutch fails, the completion prints nothing (bash() asserts an empty stderr)
        Path notADir = Files.writeString(roots.dir().resolve("not-a-dir"), "x");
        assertEquals(Set.of(), complete("hutch", "--run-root", notADir.toString(), "rm", ""));
        assertEquals(Set.of(), complete("hutch", "no-such-verb", ""));
    }

    @Test
    void theZshAndFishScriptsParse() throws Exception {
        for (String shell : List.of("zsh", "fish")) {
            Path exe = onPath(shell);
            if (exe == null) {
                System.out.println("SKIPPED: " + shell + " is not installed on this host (no " + shell
                        + " on PATH), so `" + shell + " -n` of `hutch completion " + shell + "` was not run");
                continue;
            }
            Path file = roots.dir().resolve("hutch." + shell);
            Files.writeString(file, ok("completion", shell).out());
            ProcessBuilder pb = new ProcessBuilder(exe.toString(), "-n", file.toString());
            HutchProcess.Result r = HutchProcess.capture(pb, null, shell + " -n");
            assertEquals(0, r.code(), shell + " -n: " + r.err() + r.out());
        }
        HutchProcess.Result bad = HutchProcess.runShown(env, "completion", "tcsh");
        assertEquals(125, bad.code());
        assertTrue(bad.err().contains("\"tcsh\"") && bad.err().contains("bash, zsh or fish"), bad.err());
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
