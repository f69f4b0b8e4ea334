package dev.hutch.state;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.time.Instant;

/**
 * What the helper's monitor writes to {@code <state dir>/exit} when the container's init is gone
 * (see docs/helper-protocol.md).
 */
public record ExitRecord(int exitCode, Instant finishedAt, boolean oomKilled, Integer signal, String error) {

    public static ExitRecord parse(String text) {
        JsonReader r = JsonReader.of(Json.parseObject(text));
        Long sig = r.longOrNull("signal");
        String fin = r.string("finishedAt");
        return new ExitRecord((int) r.number("exitCode", 255), fin == null ? Instant.now() : Instant.parse(fin),
                r.bool("oomKilled", false), sig == null ? null : sig.intValue(), r.string("error"));
    }
}
