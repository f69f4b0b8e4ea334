package dev.hutch.cli.filter;

import dev.hutch.HutchException;

/**
 * A {@code --filter} (CLI) or {@code filters=} (API) that names no known key or holds a bad value,
 * in docker's words ("invalid filter 'foo'"): exit 125 on the command line, 400 from the API.
 */
public final class BadFilterException extends HutchException {
    public BadFilterException(String message) { super(message); }

    /** docker's text for a key it does not know, or for key=value with a value it refuses. */
    static BadFilterException invalid(String key, String value, String hint) {
        return new BadFilterException("invalid filter '" + key + (value == null ? "" : "=" + value) + "'" + (hint == null ? "" : " (" + hint + ")"));
    }
}
