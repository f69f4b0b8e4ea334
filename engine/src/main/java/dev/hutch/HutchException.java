package dev.hutch;

/**
 * A failure hutch reports to its user: one line that says what was wrong, with the value, and what
 * to do. {@link #exitCode()} follows docker: 125 when hutch itself failed (the default), 126 when
 * the command could not be invoked, 127 when it was not found.
 */
public class HutchException extends RuntimeException {
    public static final int ENGINE_FAILURE = 125;
    public static final int CANNOT_INVOKE = 126;
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public HutchException(String message) { this(ENGINE_FAILURE, message, null); }

    public HutchException(String message, Throwable cause) { this(ENGINE_FAILURE, message, cause); }

    public HutchException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
