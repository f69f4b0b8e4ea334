package dev.hutch.engine;

import dev.hutch.state.ContainerState;

/**
 * A container that {@link Engine#run} started. For a foreground run, {@code monitor} is the helper
 * process streaming the container's output to this process's stdout/stderr; wait with
 * {@link Engine#waitForExit(Started)}.
 */
public record Started(ContainerState state, Process monitor) {
    public String id() { return state.id(); }
    public String name() { return state.name(); }
}
