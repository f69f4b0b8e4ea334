package dev.hutch.dsl.suite;

import java.time.Duration;

/**
 * How one test ended: a whole script, or one {@code test('name') { }} block of it.
 *
 * @param file    the script as the user named it ({@code tests/web.groovy})
 * @param name    the block's name, or the script's file name when the script is the test
 * @param message the failure or error at the script's line (empty when it passed)
 * @param output  what the script printed while it ran
 */
public record TestOutcome(String file, String name, Status status, Duration time, String message, String output) {
    public enum Status {
        PASSED, FAILED, ERRORED;

        /** The word of the summary line. */
        public String label() { return this == PASSED ? "PASS" : this == FAILED ? "FAIL" : "ERROR"; }
    }

    /** {@code web.groovy} for a script, {@code web.groovy > talks} for one of its blocks. */
    public String displayName() { return name.equals(fileName()) ? file : file + " > " + name; }

    String fileName() {
        int slash = file.lastIndexOf('/');
        return file.substring(slash + 1);
    }
}
