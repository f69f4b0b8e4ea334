package dev.hutch.spec;

import dev.hutch.HutchException;

/**
 * A spec field with a bad value. The message names the field (by its CLI flag), quotes the value
 * and says what would be accepted: {@code --memory: "12xb" is not a size (try 64m, 1g)}.
 */
public final class InvalidSpecException extends HutchException {
    private final String field;
    private final String value;

    public InvalidSpecException(String field, Object value, String problem) {
        super(field + ": " + (value == null ? "" : "\"" + value + "\" ") + problem);
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
    }

    public String field() { return field; }

    public String value() { return value; }
}
