package dev.hutch.cli.service;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the engine service listens, records its pid and logs (docs/engine-service.md):
 * socket {@code $HUTCH_ENGINE_SOCKET}, else {@code ${HUTCH_RUN_ROOT:-/var/run/hutch}/engine.sock};
 * pid file beside it with ".pid"; log {@code $HUTCH_ENGINE_LOG}, else
 * {@code ${HUTCH_LIB_ROOT:-/var/lib/hutch}/engine.log}.
 */
public record ServicePaths(Path socket, Path pidFile, Path log) {

    public static ServicePaths fromEnvironment(Map<String, String> env) {
        Path socket = env.containsKey("HUTCH_ENGINE_SOCKET") ? Path.of(env.get("HUTCH_ENGINE_SOCKET"))
                : Path.of(env.getOrDefault("HUTCH_RUN_ROOT", "/var/run/hutch"), "engine.sock");
        Path log = env.containsKey("HUTCH_ENGINE_LOG") ? Path.of(env.get("HUTCH_ENGINE_LOG"))
                : Path.of(env.getOrDefault("HUTCH_LIB_ROOT", "/var/lib/hutch"), "engine.log");
        socket = socket.toAbsolutePath();
        return new ServicePaths(socket, socket.resolveSibling(socket.getFileName() + ".pid"), log.toAbsolutePath());
    }
}
