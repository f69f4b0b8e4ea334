package dev.hutch.events;

import java.time.Instant;

/** Nanoseconds since the epoch, as docker's timeNano (the wall clock, to the resolution the JVM has). */
final class EventClock {
    private EventClock() {}

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
