package dev.hutch.cgroup;

/** A controller implementation and the hierarchy it is used in on this host. */
public record Binding(Controller controller, Hierarchy hierarchy) {}
