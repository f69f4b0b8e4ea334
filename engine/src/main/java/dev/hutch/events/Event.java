package dev.hutch.events;

import dev.hutch.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing that happened to an object of the engine, as docker's event stream tells it: the
 * object's type (container, image, network, volume), the action (create, start, die, tag...),
 * the object's id and its attributes (name, image, exitCode, signal, labels...), and when, in
 * nanoseconds since the epoch.
 *
 * <p>The journal keeps one compact JSON object per line ({@link #toJournalLine()}); the monitor
 * writes its {@code die}, {@code oom}, {@code health_status} and {@code resize} lines in the same
 * shape without the JVM (see event.c), a die with the exit
 * code as a top-level {@code exitCode} that {@link #parse} folds into the attributes.
 */
public record Event(String type, String action, String id, Map<String, String> attributes, long timeNano) {
    public static final String CONTAINER = "container", IMAGE = "image", NETWORK = "network", VOLUME = "volume";

    public Event {
        attributes = attributes == null ? Map.of() : Map.copyOf(new TreeMap<>(attributes));
    }

    public static Event now(String type, String action, String id, Map<String, String> attributes) {
        return new Event(type, action, id, attributes, EventClock.nowNanos());
    }

    /** The attributes sorted by key, as docker prints them. */
    public Map<String, String> sortedAttributes() { return new TreeMap<>(attributes); }

    public long timeSeconds() { return timeNano / 1_000_000_000L; }

    /** One line of the journal, without its newline. */
    public String toJournalLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeNano", timeNano);
        m.put("type", type);
        m.put("action", action);
        m.put("id", id);
        m.put("attrs", sortedAttributes());
        return Json.write(m);
    }

    /** A journal line back; null for a line that is not one (a torn or foreign line is skipped, not fatal). */
    public static Event parse(String line) {
        if (line == null || line.isBlank()) return null;
        try {
            Map<String, Object> m = Json.parseObject(line);
            Map<String, String> attrs = new TreeMap<>();
            if (m.get("attrs") instanceof Map<?, ?> a) a.forEach((k, v) -> attrs.put(String.valueOf(k), String.valueOf(v)));
            if (m.get("exitCode") != null) attrs.put("exitCode", String.valueOf(m.get("exitCode")));
            Object t = m.get("timeNano");
            if (!(t instanceof Number n) || !(m.get("type") instanceof String type) || !(m.get("action") instanceof String action))
                return null;
            return new Event(type, action, m.get("id") == null ? "" : String.valueOf(m.get("id")), attrs, n.longValue());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * docker's message: Type, Action, Actor{ID, Attributes}, scope, time, timeNano, and for
     * containers (and images) the legacy status, id and from fields older clients read.
     */
    public Map<String, Object> toDockerMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (type.equals(CONTAINER) || type.equals(IMAGE)) {
            m.put("status", action);
            m.put("id", id);
            if (type.equals(CONTAINER) && attributes.containsKey("image")) m.put("from", attributes.get("image"));
        }
        m.put("Type", type);
        m.put("Action", action);
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("ID", id);
        actor.put("Attributes", sortedAttributes());
        m.put("Actor", actor);
        m.put("scope", "local");
        m.put("time", timeSeconds());
        m.put("timeNano", timeNano);
        return m;
    }
}
