package dev.hutch.cli.api;

import dev.hutch.testing.TestRoots;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real docker CLI (Debian's docker.io client; its dockerd never runs) pointed at a
 * {@link PrivateDockerApi}: what the docker CLI tests share, so each test class holds only its
 * own checks. Closing it closes the service as PrivateDockerApi does (no container left, roots
 * removed).
 */
final class DockerCli implements AutoCloseable {
    /** Not /usr/local/bin/docker: on some hosts that is another program. */
    static final Path DOCKER = Path.of("/usr/bin/docker");

    record Result(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\nstdout: " + out + "\nstderr: " + err; }
    }

    private final PrivateDockerApi api;

    private DockerCli(PrivateDockerApi api) { this.api = api; }

    /** Skips the calling test class where the docker CLI is not installed; otherwise starts a private service. */
    static DockerCli start() throws Exception {
        assumeTrue(Files.isExecutable(DOCKER), "needs the docker CLI at " + DOCKER
                + " (Debian's docker.io: scripts/setup.sh installs it for the tests)");
        return new DockerCli(new PrivateDockerApi());
    }

    TestRoots roots() { return api.roots; }

    Path socket() { return api.socket; }

    long servicePid() { return api.servicePid(); }

    /** See {@link PrivateDockerApi#restartService()}. */
    void restartService() throws Exception { api.restartService(); }

    /** See {@link PrivateDockerApi#stopService()}. */
    void stopService() throws Exception { api.stopService(); }

    /** docker {@code args} against this service, for a caller that handles the process itself (a stream such as docker events). */
    ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString(), "-H", api.dockerHost()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DOCKER_HOST");
        pb.environment().put("DOCKER_CONFIG", roots().dir().resolve("docker-config").toString()); // not root's ~/.docker
        return pb;
    }

    /** docker with {@code input} as its stdin (a file, so the client sees a pipe's end of file after it); null: /dev/null. */
    Result run(String input, String... args) throws IOException, InterruptedException {
        Path dir = roots().dir();
        Path out = Files.createTempFile(dir, "docker-out", ".txt"), err = Files.createTempFile(dir, "docker-err", ".txt");
        Path in = input == null ? null : Files.writeString(Files.createTempFile(dir, "docker-in", ".txt"), input);
        Process p = command(args).redirectInput(in == null ? new File("/dev/null") : in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("docker " + String.join(" ", args) + " did not end in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        if (in != null) Files.delete(in);
        return r;
    }

    @Override
    public void close() throws Exception { api.close(); }
}
