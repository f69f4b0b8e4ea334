package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.config.EngineConfig;

import java.io.PrintStream;
import java.util.function.Function;

/** What a command may use: the engine (made on first use), the config, and the output streams. */
public final class Context {
    private final EngineConfig config;
    private final Function<EngineConfig, Engine> engineFactory;
    private final PrintStream out;
    private final PrintStream err;
    private Engine engine;

    public Context(EngineConfig config, Function<EngineConfig, Engine> engineFactory, PrintStream out, PrintStream err) {
        this.config = config;
        this.engineFactory = engineFactory;
        this.out = out;
        this.err = err;
    }

    public Engine engine() {
        if (engine == null) engine = engineFactory.apply(config);
        return engine;
    }

    public EngineConfig config() { return config; }

    public PrintStream out() { return out; }

    public PrintStream err() { return err; }
}
