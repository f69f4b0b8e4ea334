package dev.hutch.registry;

import dev.hutch.HutchException;

/**
 * A pull that failed, as one line for the user. The kind lets the CLI and the tests tell the
 * cases apart without reading the message.
 */
public final class RegistryException extends HutchException {
    public enum Kind { UNREACHABLE, UNAUTHORIZED, NOT_FOUND, DIGEST_MISMATCH, BAD_MANIFEST, NO_PLATFORM, UNSUPPORTED, PROTOCOL }

    private final Kind kind;

    public RegistryException(Kind kind, String message) { this(kind, message, null); }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
