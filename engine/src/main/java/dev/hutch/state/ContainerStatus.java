package dev.hutch.state;

/**
 * docker's container states, as {@code ps} and {@code inspect} show them. DEAD is docker's word
 * for a container that cannot run again: here, a run interrupted half-way (its hutch was killed)
 * or a record that cannot be read. {@code rm -f} removes it.
 */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, EXITED, DEAD;

    public String label() { return name().toLowerCase(); }
}
