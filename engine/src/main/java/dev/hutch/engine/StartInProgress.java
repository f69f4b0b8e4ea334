package dev.hutch.engine;

import dev.hutch.HutchException;

/**
 * Another process is starting (or just started, or is changing) the container this start read:
 * {@link Engine#start} waits for it and looks again, so the loser of two starts at once finds the
 * container running (docker's "already started": 304 through the API) instead of an error.
 */
final class StartInProgress extends HutchException {
    final String id;

    StartInProgress(String id, String message) {
        super(message);
        this.id = id;
    }
}
