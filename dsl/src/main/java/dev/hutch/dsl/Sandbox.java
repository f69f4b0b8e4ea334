package dev.hutch.dsl;

import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.dsl.network.NetworkHandle;
import dev.hutch.engine.Engine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One script's (or one shell session's) world: the engine it talks to, and everything it made, so
 * that all of it can be taken down when the script ends, fails or is interrupted. Containers go
 * first (newest first), then networks, which cannot be removed while containers use them.
 * Handles marked with {@code keep()} are left alone.
 */
public final class Sandbox implements AutoCloseable {
    private final Supplier<Engine> engineFactory;
    private final String scriptFile;
    private final Path baseDir;
    private final PrintStream err;
    private final List<ContainerHandle> containers = new ArrayList<>();
    private final List<NetworkHandle> networks = new ArrayList<>();
    private final List<Sandbox> children = new ArrayList<>();
    /** The container a {@code run()} is waiting for now: what Ctrl-C in the shell stops. */
    private volatile ContainerHandle foreground;
    private Engine engine;
    private boolean closed;

    /**
     * @param scriptFile the script's file name as it appears in stack frames ({@code web.groovy}),
     *                   used to report errors at the script's line
     * @param baseDir    the script's directory: relative bind-mount sources are relative to it
     */
    public Sandbox(Supplier<Engine> engineFactory, String scriptFile, Path baseDir, PrintStream err) {
        this.engineFactory = engineFactory;
        this.scriptFile = scriptFile;
        this.baseDir = baseDir;
        this.err = err;
    }

    /** The engine, made on first use (a script that only computes never touches the host). */
    public synchronized Engine engine() {
        if (engine == null) engine = engineFactory.get();
        return engine;
    }

    public String scriptFile() { return scriptFile; }

    /**
     * A sandbox of its own for one {@code test('name') { }} block, on the same engine: what the
     * block starts is removed when the block ends, and at the latest when this one closes.
     */
    public synchronized Sandbox child() {
        if (closed) throw new IllegalStateException("the sandbox is closed");
        Sandbox c = new Sandbox(this::engine, scriptFile, baseDir, err);
        children.add(c);
        return c;
    }

    /** Marks the container a {@code run()} waits for (null when it ended). */
    public void foreground(ContainerHandle c) { foreground = c; }

    /** The container a {@code run()} waits for now, or null. */
    public ContainerHandle foreground() {
        ContainerHandle f = foreground;
        if (f != null) return f;
        synchronized (this) {
            for (Sandbox c : children) if (c.foreground() != null) return c.foreground();
        }
        return null;
    }

    public Path baseDir() { return baseDir; }

    /** {@code web.groovy:4} for the script line calling hutch now. */
    public String here() { return ScriptLines.where(scriptFile, ScriptLines.caller(scriptFile)); }

    public synchronized void started(ContainerHandle c) {
        if (closed) throw new IllegalStateException("the sandbox is closed");
        containers.add(c);
    }

    public synchronized void forget(ContainerHandle c) { containers.remove(c); }

    public synchronized void created(NetworkHandle n) { networks.add(n); }

    public synchronized void forget(NetworkHandle n) { networks.remove(n); }

    /** What this sandbox will remove on close, newest first. */
    public synchronized List<ContainerHandle> containers() { return List.copyOf(containers); }

    /**
     * Removes every container and network this sandbox made and did not keep. Idempotent, safe to
     * call from a shutdown hook while the script thread is still running; one failure does not stop
     * the others from being removed.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (int i = children.size() - 1; i >= 0; i--) children.get(i).close();
        children.clear();
        if (engine == null) return;
        for (int i = containers.size() - 1; i >= 0; i--) {
            ContainerHandle c = containers.get(i);
            if (c.isKept()) continue;
            try {
                c.removeQuietly();
            } catch (RuntimeException e) {
                err.println("hutch: cleanup: could not remove container " + c.getName() + ": " + e.getMessage()
                        + " (remove it with: hutch rm -f " + c.getName() + ")");
            }
        }
        for (int i = networks.size() - 1; i >= 0; i--) {
            NetworkHandle n = networks.get(i);
            if (n.isKept()) continue;
            try {
                n.removeQuietly();
            } catch (RuntimeException e) {
                err.println("hutch: cleanup: could not remove network " + n.getName() + ": " + e.getMessage()
                        + " (remove it with: hutch network rm " + n.getName() + ")");
            }
        }
        containers.clear();
        networks.clear();
    }
}
