package dev.hutch.state;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the monitor's health checks wrote to {@code <state dir>/health}, in docker's State.Health
 * shape: Status (starting, healthy, unhealthy), FailingStreak and the last five results
 * (Start, End, ExitCode, Output). See health.c and docs/helper-protocol.md.
 */
public record HealthRecord(String status, int failingStreak, List<Map<String, Object>> log) {
    public HealthRecord {
        log = List.copyOf(log == null ? List.of() : log);
    }

    public static HealthRecord parse(String text) {
        JsonReader r = JsonReader.of(Json.parseObject(text));
        List<Map<String, Object>> log = new ArrayList<>();
        Object raw = r.raw().get("Log");
        if (raw instanceof List<?> l) {
            for (Object e : l) {
                JsonReader x = JsonReader.of(e);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Start", x.string("Start", ""));
                m.put("End", x.string("End", ""));
                m.put("ExitCode", x.number("ExitCode", 0));
                m.put("Output", x.string("Output", ""));
                log.add(m);
            }
        }
        return new HealthRecord(r.string("Status", "starting"), (int) r.number("FailingStreak", 0), log);
    }

    /** docker's inspect State.Health. */
    public Map<String, Object> toDocker() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status);
        m.put("FailingStreak", failingStreak);
        m.put("Log", log);
        return m;
    }
}
