package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.runtime.ExecResult;
import dev.hutch.spec.ExecSpec;
import dev.hutch.engine.Started;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.hutch.cli.InProcessCli.container;
import static org.junit.jupiter.api.Assertions.*;

/** exec's -u, -w and -e (CoreRuntimeTest covers the namespaces, the hostname and the exit code). */
@RequiresRoot
class ExecOptionsTest {
    static TestRoots roots;
    static Engine engine;
    static Started running;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        var spec = container("busybox", "sleep", "100").hostname("ex-" + roots.tag());
        spec.process().env("FROM_RUN", "1");
        running = engine.run(spec.build(), true);
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
        }
        if (roots != null) roots.close();
    }

    private static ExecResult exec(List<String> env, String workdir, String user, String script) {
        return engine.execCapture(running.id(), new ExecSpec(List.of("sh", "-c", script), env, workdir, user, false, false));
    }

    @Test
    void dashUSetsTheUserByNameOrUidAndGid() {
        ExecResult byName = exec(List.of(), null, "nobody", "id -u; id -g");
        assertEquals(0, byName.exitCode(), byName.error());
        assertEquals("65534\n65534\n", byName.output());
        ExecResult byIds = exec(List.of(), null, "1234:5678", "id -u; id -g");
        assertEquals("1234\n5678\n", byIds.output(), byIds.error());
        assertEquals("0\n", exec(List.of(), null, null, "id -u").output(), "root by default, as the container");
    }

    @Test
    void dashWSetsTheWorkingDirectory() {
        assertEquals("/tmp\n", exec(List.of(), "/tmp", null, "pwd").output());
        ExecResult missing = exec(List.of(), "/no/such/dir", null, "pwd");
        assertNotEquals(0, missing.exitCode(), "a missing workdir is an error, not a silent cd /");
    }

    @Test
    void dashEAddsToTheContainersEnvironment() {
        ExecResult r = exec(List.of("ADDED=yes", "FROM_RUN=overridden"), null, null, "echo $ADDED $FROM_RUN; hostname");
        assertEquals("yes overridden\nex-" + roots.tag() + "\n", r.output(), r.error());
        assertEquals("1\n", exec(List.of(), null, null, "echo $FROM_RUN").output(), "the container's env by default");
    }
}
