package dev.hutch.cli.service;

import dev.hutch.HutchException;
import dev.hutch.cli.Context;
import dev.hutch.cli.Main;
import dev.hutch.runtime.Signals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `hutch engine start|status|stop` when no service runs this command: from the pid file. Only a
 * recorded pid whose /proc start time still matches is ever signalled.
 */
public final class ServiceControl {
    private static final Path PROC = Path.of("/proc");
    private final Context ctx;
    private final ServicePaths paths;

    public ServiceControl(Context ctx) {
        this.ctx = ctx;
        this.paths = ServicePaths.fromEnvironment(ctx.env());
    }

    /** The running service's entry, or null. */
    private PidFile running() {
        PidFile p = PidFile.read(paths.pidFile());
        return p != null && p.isAlive() ? p : null;
    }

    public int status() {
        PidFile p = running();
        if (p == null) {
            ctx.out().println("hutch engine service: not running (socket " + paths.socket() + ")");
            return 1;
        }
        ctx.out().println("hutch engine service: running\npid:          " + p.pid() + "\nsocket:       " + paths.socket()
                + "\nlog:          " + paths.log());
        return 0;
    }

    /** SIGTERM to the recorded pid; after 10 s SIGKILL. Removes what a killed service left. */
    public int stop() throws InterruptedException {
        PidFile p = running();
        if (p == null) {
            ctx.out().println("hutch engine service: not running (socket " + paths.socket() + ")");
            removeLeftovers();
            return 0;
        }
        Signals.send(PROC, p.pid(), p.startTime(), Signals.SIGTERM);
        long deadline = System.nanoTime() + EngineService.STOP_GRACE.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        boolean killed = false;
        if (p.isAlive()) {
            Signals.send(PROC, p.pid(), p.startTime(), Signals.SIGKILL);
            killed = true;
            for (int i = 0; i < 250 && p.isAlive(); i++) Thread.sleep(20);
        }
        removeLeftovers();
        ctx.out().println("hutch engine service: stopped (pid " + p.pid() + (killed ? ", killed after 10 s" : "") + ")");
        return 0;
    }

    /** Starts a service in its own session, output appended to its log, and waits until it answers. */
    public int start() throws IOException, InterruptedException {
        if (running() == null) {
            List<String> argv = new ArrayList<>(List.of("setsid"));
            argv.addAll(Main.javaCommand());
            argv.addAll(List.of("engine", "serve"));
            Files.createDirectories(paths.log().getParent());
            ProcessBuilder pb = new ProcessBuilder(argv).directory(Path.of("/").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.log().toFile()))
                    .redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(ctx.env());
            Process starter = pb.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!EngineService.answers(paths.socket())) {
                if (System.nanoTime() > deadline || (!starter.isAlive() && starter.exitValue() != 0 && running() == null))
                    throw new HutchException("the engine service did not start within 20 s (see its log: " + paths.log() + ")");
                Thread.sleep(10);
            }
        }
        return status();
    }

    private void removeLeftovers() {
        if (running() != null) return;
        try {
            Files.deleteIfExists(paths.pidFile());
            if (Files.exists(paths.socket()) && !EngineService.answers(paths.socket())) Files.deleteIfExists(paths.socket());
        } catch (IOException e) {
            throw new HutchException("cannot remove the stopped service's files next to " + paths.socket() + ": " + e.getMessage(), e);
        }
    }
}
