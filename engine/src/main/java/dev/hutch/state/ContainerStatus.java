package dev.hutch.state;

/** docker's container states, as {@code ps} and {@code inspect} show them. */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, EXITED;

    public String label() { return name().toLowerCase(); }
}
