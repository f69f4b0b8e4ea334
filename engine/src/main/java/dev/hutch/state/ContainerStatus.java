package dev.hutch.state;

/**
 * docker's container states, as {@code ps} and {@code inspect} show them. DEAD is docker's word
 * for a container that cannot run again: here, a run interrupted half-way (its hutch was killed)
 * or a record that cannot be read. {@code rm -f} removes it. RESTARTING: the container's process
 * exited and its restart policy is starting it again (after a backoff); see {@link RestartRecord}.
 */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, EXITED, DEAD;

    public String label() { return name().toLowerCase(); }
}
