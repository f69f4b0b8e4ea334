package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.logs.LogEntry;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.testing.TestRoots;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CLI verbs that do not attach to a container (images, commit, save, volume ...) run in this
 * JVM against a test's roots, and the containers they need run through the engine, whose logs
 * give their output.
 */
final class InProcessCli {
    record Result(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + ", out: " + out + ", err: " + err; }
    }

    private final TestRoots roots;
    private final Engine engine;

    InProcessCli(TestRoots roots, Engine engine) {
        this.roots = roots;
        this.engine = engine;
    }

    Result hutch(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--run-root", roots.config().runRoot().toString(),
                "--lib-root", roots.config().libRoot().toString(), "--cgroup-parent", roots.config().cgroupParent()));
        argv.addAll(List.of(args));
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the container to its end; returns "exit code|stdout" and removes it (with its anonymous volumes). */
    String runToEnd(ContainerSpec spec) {
        Started s = engine.run(spec, true);
        try {
            int code = engine.waitFor(s.id());
            return code + "|" + stdout(s.id());
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    /** Runs the container to its end (exit 0 expected) and keeps it, for commit or export; returns its id. */
    String runToEndKeeping(ContainerSpec spec) {
        Started s = engine.run(spec, true);
        int code = engine.waitFor(s.id());
        if (code != 0) throw new AssertionError("the container exited " + code + ": " + spec.process().command());
        return s.id();
    }

    String stdout(String id) {
        return engine.logs(id).read(-1, null).stream().filter(e -> e.stream().equals("stdout"))
                .map(LogEntry::text).collect(Collectors.joining());
    }

    static ContainerSpec.Builder container(String image, String... cmd) {
        ContainerSpec.Builder b = ContainerSpec.builder(image).network("none");
        return cmd.length == 0 ? b : b.command(cmd);
    }
}
