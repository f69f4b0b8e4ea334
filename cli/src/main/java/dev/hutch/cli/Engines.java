package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.config.EngineConfig;

/** The CLI's engine: the host's engine with the built-in images (busybox) of the rootfs-builder. */
public final class Engines {
    private Engines() {}

    public static Engine forHost(EngineConfig config) {
        return dev.hutch.engine.Engines.forHost(config, BuiltinImages.SOURCE);
    }
}
