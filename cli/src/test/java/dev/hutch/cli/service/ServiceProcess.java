package dev.hutch.cli.service;

import dev.hutch.cli.Main;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An engine service started by a test, as the client starts it (`hutch engine serve`, its
 * output appended to a log), on a socket in the test's own directory. Stopped by the pid this
 * test started, never by name.
 */
public final class ServiceProcess implements AutoCloseable {
    public final Process process;
    public final Path socket, log;

    private ServiceProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    Path pidFile() { return socket.resolveSibling(socket.getFileName() + ".pid"); }

    /** Starts one and waits until its socket answers. */
    public static ServiceProcess start(Map<String, String> rootsEnv, Path dir, String idleSeconds, String extraClasspath) throws Exception {
        Files.createDirectories(dir);
        Path socket = dir.resolve("engine.sock"), log = dir.resolve("engine.log");
        String cp = System.getProperty("java.class.path") + (extraClasspath == null ? "" : File.pathSeparator + extraClasspath);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", cp,
                Main.class.getName(), "engine", "serve"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(rootsEnv);
        env.put("HUTCH_ENGINE_SOCKET", socket.toString());
        env.put("HUTCH_ENGINE_LOG", log.toString());
        env.put("HUTCH_ENGINE_IDLE", idleSeconds);
        pb.environment().putAll(env);
        Process p = pb.start();
        ServiceProcess s = new ServiceProcess(p, socket, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // "serving on" is logged after bind() has also set the socket's mode: a test that changes
        // the mode itself must not race the service's chmod (it did: uid 65534 got EACCES in CI).
        while (!EngineService.answers(socket) || !Files.readString(log).contains("serving on " + socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                s.close();
                throw new AssertionError("the engine service did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return s;
    }

    public String logText() throws IOException { return Files.readString(log); }

    /** SIGTERM to the recorded pid, then SIGKILL if it is still there after 20 s. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
