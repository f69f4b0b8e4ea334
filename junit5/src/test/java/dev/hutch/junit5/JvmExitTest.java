package dev.hutch.junit5;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Engines;
import dev.hutch.rootfs.BusyboxImage;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import dev.hutch.util.ProcStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that ends while its containers run: on SIGTERM (Ctrl-C, a CI timeout) the shutdown hook
 * removes them; after SIGKILL nothing in the JVM can, and the labels find what it left so that
 * {@code rm -f} removes it (as docs/junit5.md tells users).
 */
@RequiresRoot
class JvmExitTest {
    TestRoots roots;
    Engine engine;

    @BeforeEach
    void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config(), new BusyboxImage());
    }

    @AfterEach
    void tearDown() {
        if (roots != null) roots.close();
    }

    /** Starts the probe JVM and returns it once its container runs; {@code id[0]} is the container's id. */
    private Process probe(String[] id) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JvmExitProbe.class.getName());
        pb.environment().putAll(roots.environment());
        pb.redirectError(roots.dir().resolve("probe.err").toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        id[0] = out.readLine();
        assertTrue(id[0] != null && id[0].matches("[0-9a-f]{64}"), "the probe printed its container's id: " + id[0] + "; stderr: " + stderr());
        return p;
    }

    private String stderr() throws IOException {
        Path err = roots.dir().resolve("probe.err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    @Test
    void sigtermRemovesTheContainersInTheShutdownHook() throws Exception {
        String[] id = new String[1];
        Process p = probe(id);
        ContainerState s = engine.inspect(id[0]);
        assertTrue(s.isRunning());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe exits");
        assertTrue(stderr().contains("hutch-junit5: removing container " + s.name()), stderr());
        assertFalse(Files.exists(roots.config().containerStateDir(id[0])), "state dir left");
        for (String cg : s.cgroupPaths()) assertFalse(Files.exists(Path.of(cg)), "cgroup " + cg + " left");
        assertFalse(ProcStat.isAlive(Path.of("/proc"), s.pid(), s.pidStartTime()), "the container's process still runs");
    }

    @Test
    void afterSigkillTheLabelsFindWhatWasLeftAndRmRemovesIt() throws Exception {
        String[] id = new String[1];
        Process p = probe(id);
        long jvm = p.pid();
        p.destroyForcibly(); // SIGKILL: no hook runs
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(engine.isRunning(id[0]), "a SIGKILLed JVM leaves its container running");

        // what docs/junit5.md tells users to do: find by label, rm -f
        List<ContainerState> left = engine.list(true).stream()
                .filter(c -> Long.toString(jvm).equals(c.spec().labels().get(ContainerLabels.PID))).toList();
        assertEquals(List.of(id[0]), left.stream().map(ContainerState::id).toList());
        assertEquals(JvmExitProbe.class.getName(), left.get(0).spec().labels().get(ContainerLabels.CLASS));
        ContainerState s = left.get(0);
        engine.remove(s.id(), true, true);
        assertFalse(Files.exists(roots.config().containerStateDir(id[0])), "state dir left");
        assertFalse(ProcStat.isAlive(Path.of("/proc"), s.pid(), s.pidStartTime()), "the container's process still runs");
    }
}
