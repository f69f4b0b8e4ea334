package dev.hutch.runtime;

/** The outcome of an exec whose output was captured (the DSL's {@code web.exec(...)}). */
public record ExecResult(int exitCode, String output, String error) {}
