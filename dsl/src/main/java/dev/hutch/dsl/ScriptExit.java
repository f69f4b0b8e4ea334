package dev.hutch.dsl;

/**
 * {@code exit 3} in a script. An Error, not an Exception, so a script's own
 * {@code catch (Exception e)} does not swallow it; the runner cleans up and returns the code.
 */
public final class ScriptExit extends Error {
    private final int code;

    public ScriptExit(int code) {
        super("exit " + code, null, false, false);
        this.code = code;
    }

    public int code() { return code; }
}
