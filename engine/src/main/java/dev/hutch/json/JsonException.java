package dev.hutch.json;

/** Malformed JSON text, with the offset where reading stopped. */
public final class JsonException extends RuntimeException {
    public JsonException(String message) { super(message); }
}
