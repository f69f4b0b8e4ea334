package dev.hutch.engine;

import dev.hutch.state.ContainerState;

/**
 * A container that {@link Engine#run} started. For a foreground run, {@code monitor} is the helper
 * process streaming the container's output to this process's stdout/stderr; wait with
 * {@link Engine#waitForExit(Started)}. {@code detachNotice}: a foreground run whose caller may
 * type the detach keys ({@link Engine#detachKeys}), else null.
 */
public record Started(ContainerState state, Process monitor, dev.hutch.runtime.DetachNotice detachNotice) {
    /** A container started detached, or in the foreground without detach keys. */
    public Started(ContainerState state, Process monitor) { this(state, monitor, null); }

    public String id() { return state.id(); }
    public String name() { return state.name(); }
}
