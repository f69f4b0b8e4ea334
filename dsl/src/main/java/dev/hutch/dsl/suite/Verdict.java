package dev.hutch.dsl.suite;

import dev.hutch.dsl.CheckFailed;
import dev.hutch.dsl.ScriptErrors;
import dev.hutch.dsl.ScriptExit;
import dev.hutch.dsl.suite.TestOutcome.Status;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a throwable means for a test, as test runners count it: a check that did not hold (an
 * {@code assert}, {@code fail 'why'}, {@code exit N} with N other than 0) is a failure; anything
 * else that escaped (a bad spec, an engine error, a typo Groovy could not resolve) an error. The
 * message is the one {@code hutch script} would print, at the script's line.
 */
record Verdict(Status status, String message) {
    static final Verdict PASSED = new Verdict(Status.PASSED, "");

    static Verdict of(Throwable thrown, String scriptFile, boolean debug) {
        if (thrown == null) return PASSED;
        Throwable t = ScriptErrors.unwrap(thrown);
        if (t instanceof ScriptExit exit && exit.code() == 0) return PASSED;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(text, true, StandardCharsets.UTF_8);
        if (t instanceof ScriptExit exit) err.println(scriptFile + ": exit " + exit.code());
        else new ScriptErrors(scriptFile, err, debug).report(t);
        boolean failed = t instanceof AssertionError || t instanceof CheckFailed || t instanceof ScriptExit;
        return new Verdict(failed ? Status.FAILED : Status.ERRORED, text.toString(StandardCharsets.UTF_8).strip());
    }
}
