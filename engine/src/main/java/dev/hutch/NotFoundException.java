package dev.hutch;

/**
 * A container, image, network or volume that the user named does not exist. A missing container
 * exits 1, as docker's "No such container" does from every verb; other kinds keep 125 unless
 * their verb says otherwise.
 */
public class NotFoundException extends HutchException {
    public static final int NO_SUCH_CONTAINER = 1;

    public NotFoundException(String message) { super(message); }

    public NotFoundException(int exitCode, String message) { super(exitCode, message, null); }

    /** docker's "No such container", exit code 1. */
    public static NotFoundException container(String message) { return new NotFoundException(NO_SUCH_CONTAINER, message); }
}
