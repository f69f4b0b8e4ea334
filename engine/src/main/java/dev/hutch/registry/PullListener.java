package dev.hutch.registry;

/** What a pull reports as it goes, for docker's per-layer lines (the CLI draws them). */
public interface PullListener {
    /** A layer's state changed ("Pulling fs layer", "Already exists", "Downloading", "Pull complete" ...). */
    void layer(String shortId, String status);

    /** Bytes of a layer downloaded so far, often; {@code total} is -1 when unknown. */
    default void bytes(String shortId, long done, long total) { }

    PullListener SILENT = (id, status) -> { };
}
