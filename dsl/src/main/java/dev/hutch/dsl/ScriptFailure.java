package dev.hutch.dsl;

import dev.hutch.HutchException;

/**
 * A mistake in a script, already placed at its line: {@code web.groovy:4: memory: "64 megs" is not a
 * size (try 64m, 1g)}. Builders throw it when they know the line better than the stack does (a
 * spec checked at start() is reported at the line that set the bad field).
 */
public final class ScriptFailure extends HutchException {
    private final String location;
    private final String problem;

    public ScriptFailure(String location, String problem, int exitCode, Throwable cause) {
        super(exitCode, location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    /** {@code web.groovy:4}. */
    public String location() { return location; }

    /** The message without the location. */
    public String problem() { return problem; }
}
