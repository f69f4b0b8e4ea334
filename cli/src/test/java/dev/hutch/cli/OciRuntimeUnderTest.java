package dev.hutch.cli;

import dev.hutch.testing.TestRoots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * hutch's OCI runtime as one executable a caller (podman's conmon, containerd's shim) is pointed
 * at: a script in the test's temp dir that runs {@code Main oci "$@"} on this test's classpath
 * with the test's roots and cgroup parent, and appends each command line to {@code calls.log}
 * (printed when a test fails). Through the service (the cli module's second run), the verbs other
 * than create, run and exec go to this JVM's engine service, as the checkout's {@code hutch-runc}
 * sends them with ./hutch's launcher.
 */
final class OciRuntimeUnderTest {
    final Path script;
    final Path root;
    final Path calls;
    private final TestRoots roots;

    OciRuntimeUnderTest(TestRoots roots) throws IOException {
        this.roots = roots;
        this.root = roots.dir().resolve("oci-root");
        this.calls = roots.dir().resolve("calls.log");
        this.script = roots.dir().resolve("hutch-runc");
        StringBuilder sh = new StringBuilder("#!/bin/sh\n");
        sh.append("echo \"$*\" >> '").append(calls).append("'\n");
        for (Map.Entry<String, String> e : roots.environment().entrySet())
            sh.append("export ").append(e.getKey()).append("='").append(e.getValue()).append("'\n");
        // the root for callers that do not pass --root (podman's exit command drops --runtime-flag)
        sh.append("export HUTCH_OCI_ROOT='").append(root).append("'\n");
        List<String> java = new ArrayList<>(HutchProcess.coldCommand(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto")));
        if (HutchProcess.viaService()) {
            // as ./hutch does it: create, run and exec in a JVM of their own, the other verbs through the service
            for (Map.Entry<String, String> e : EngineServiceUnderTest.environment().entrySet())
                sh.append("export ").append(e.getKey()).append("='").append(e.getValue()).append("'\n");
            sh.append("for word in \"$@\"; do case \"$word\" in create|run|exec) own=1; break ;; esac; done\n");
            sh.append("if [ -z \"${own:-}\" ]; then exec");
            for (String w : EngineServiceUnderTest.clientCommand(java)) sh.append(" '").append(w).append("'");
            sh.append(" oci \"$@\"; fi\n");
        }
        sh.append("exec");
        for (String w : java) sh.append(" '").append(w).append("'");
        sh.append(" oci \"$@\"\n");
        Files.writeString(script, sh);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The runtime by hand, with our root: e.g. {@code state ID}. */
    HutchProcess.Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(script.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return HutchProcess.capture(new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), null, args[0]);
    }

    String calls() throws IOException { return Files.exists(calls) ? Files.readString(calls) : "(no calls)"; }

    /** A docker archive of hutch's busybox, made through hutch itself. */
    static Path busyboxArchive(TestRoots roots, InProcessCli cli) {
        Path archive = roots.dir().resolve("busybox.tar");
        assertEquals(0, cli.hutch("run", "--rm", "--network", "none", "busybox", "true").code(), "hutch makes its busybox image");
        InProcessCli.Result save = cli.hutch("save", "--format", "docker-archive", "-o", archive.toString(), "busybox");
        assertEquals(0, save.code(), save.toString());
        return archive;
    }

    /** Container state dirs hutch's OCI runtime still has (none, once callers deleted what they made). */
    List<String> leftoverStates() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        List<String> out = new ArrayList<>();
        try (var s = Files.walk(root, 3)) { // ROOT/ID, or ROOT/NAMESPACE/ID (containerd)
            s.filter(p -> p.getFileName().toString().equals("state.json")).forEach(p -> out.add(p.getParent().toString()));
        }
        return out;
    }

    String cgroupParent() { return roots.config().cgroupParent(); }
}
