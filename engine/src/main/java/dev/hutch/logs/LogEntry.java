package dev.hutch.logs;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.time.Instant;

/** One line of a container's JSON-lines log, as the helper's monitor writes it. */
public record LogEntry(Instant time, String stream, String text) {

    public boolean isStderr() { return "stderr".equals(stream); }

    /** Parses one log line; null for a line that is not a complete entry (e.g. still being written). */
    public static LogEntry parse(String line) {
        if (line.isBlank()) return null;
        try {
            JsonReader r = JsonReader.of(Json.parseObject(line));
            return new LogEntry(Instant.parse(r.string("time")), r.string("stream", "stdout"), r.string("log", ""));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
