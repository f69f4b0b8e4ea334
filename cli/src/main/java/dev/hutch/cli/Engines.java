package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.config.EngineConfig;
import dev.hutch.runtime.ChildStdio;

/** The CLI's engine: the host's engine with the built-in images (busybox) of the rootfs-builder. */
public final class Engines {
    private Engines() {}

    public static Engine forHost(EngineConfig config) {
        return forHost(config, ChildStdio.inherited());
    }

    /** The engine for one caller: its helper processes get that caller's stdio and environment. */
    public static Engine forHost(EngineConfig config, ChildStdio children) {
        return dev.hutch.engine.Engines.forHost(config, BuiltinImages.SOURCE, children);
    }
}
