package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.runtime.ChildStdio;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.ExecSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.sys.PosixSpawn;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the engine service does for each client: an engine whose caller's stdio is descriptors it
 * was given (here pipes and a file of the test's, not this JVM's 0-2). A foreground run and an
 * exec must read the container's stdin from them and write its output there, and nothing of it
 * may reach this JVM's own stdio. Needs root (real containers).
 */
@RequiresRoot
class CallerStdioTest {
    static TestRoots roots;
    static Engine host;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        host = Engines.forHost(roots.config());
    }

    @AfterAll
    static void tearDown() {
        if (host != null) for (ContainerState s : host.list(true)) host.remove(s.id(), true, true);
        if (roots != null) roots.close();
    }

    private static String drain(int readFd) throws IOException {
        // through /proc: a stream of our own on the pipe; not readAllBytes (Java 17 seeks, ESPIPE on a pipe)
        try (FileInputStream in = new FileInputStream("/proc/self/fd/" + readFd)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    private static void type(int writeFd, String text) throws IOException {
        try (FileOutputStream out = new FileOutputStream("/proc/self/fd/" + writeFd)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void foregroundRunAndExecUseTheCallersDescriptors() throws Exception {
        int[] in = PosixSpawn.pipe(), err = PosixSpawn.pipe();
        Path outFile = roots.dir().resolve("caller-stdout");
        int out = PosixSpawn.open(outFile.toString(), PosixSpawn.O_WRONLY | PosixSpawn.O_CREAT | PosixSpawn.O_TRUNC, 0600);
        String id = null;
        try {
            Engine engine = dev.hutch.engine.Engines.forHost(roots.config(), BuiltinImages.SOURCE,
                    ChildStdio.of(in[0], out, err[1], Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")));
            ContainerSpec.Builder b = ContainerSpec.builder("busybox").network("none")
                    .command("sh", "-c", "read x; echo out-$x; echo err-$x >&2; read y; echo out-$y; exit 4");
            b.process().interactive(true);
            Started s = engine.run(b.build(), false);
            id = s.id();
            type(in[1], "typed\n");
            // while the container runs, an exec through the same caller writes to the same places
            int execCode = engine.exec(id, new ExecSpec(List.of("sh", "-c", "echo exec-out; echo exec-err >&2; exit 5"),
                    List.of(), null, null, false, false));
            assertEquals(5, execCode);
            type(in[1], "more\n");
            PosixSpawn.close(in[1]);
            in[1] = -1;
            assertEquals(4, engine.waitForExit(s));

            PosixSpawn.close(err[1]);
            err[1] = -1;
            assertEquals("err-typed\nexec-err\n", drain(err[0]), "the caller's stderr");
            assertEquals("out-typed\nexec-out\nout-more\n", Files.readString(outFile), "the caller's stdout");
        } finally {
            for (int fd : new int[] {in[0], in[1], err[0], err[1], out}) if (fd >= 0) PosixSpawn.close(fd);
            if (id != null) host.remove(id, true, true);
        }
    }
}
