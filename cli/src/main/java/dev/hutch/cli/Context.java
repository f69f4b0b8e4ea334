package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.config.EngineConfig;
import dev.hutch.runtime.ChildStdio;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What a command may use: the engine (made on first use), the config, and its caller's
 * invocation. Commands reach the caller only through here (never System.in/out/err, getenv or
 * user.dir), so the same command runs in-process or as one of many requests in the engine service.
 */
public final class Context {
    private final EngineConfig config;
    private final Function<EngineConfig, Engine> engineFactory;
    private final Invocation inv;
    private Engine engine;

    public Context(EngineConfig config, Function<EngineConfig, Engine> engineFactory, Invocation inv) {
        this.config = config;
        this.engineFactory = engineFactory;
        this.inv = inv;
    }

    public Engine engine() {
        if (engine == null) engine = engineFactory.apply(config);
        return engine;
    }

    public EngineConfig config() { return config; }

    public Invocation invocation() { return inv; }

    public Map<String, String> env() { return inv.env(); }

    public Path cwd() { return inv.cwd(); }

    public InputStream in() { return inv.in(); }

    public PrintStream out() { return inv.out(); }

    public PrintStream err() { return inv.err(); }

    public boolean stdinIsTerminal() { return inv.stdinIsTerminal(); }

    public boolean stdoutIsTerminal() { return inv.stdoutIsTerminal(); }

    public boolean stderrIsTerminal() { return inv.stderrIsTerminal(); }

    public ChildStdio children() { return inv.children(); }

    public CallerSignals signals() { return inv.signals(); }

    /** The caller's umask, or Invocation.OWN_UMASK when this process's own is the caller's. */
    public int umask() { return inv.umask(); }

    /** A path the user gave, relative to the caller's working directory (not this JVM's). */
    public Path path(String userPath) { return resolve(inv.cwd(), userPath); }

    static Path resolve(Path cwd, String userPath) { return cwd.resolve(userPath).normalize(); }
}
