package dev.hutch.events;

import dev.hutch.HutchException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's event filters: {@code type}, {@code event}, {@code container}, {@code image},
 * {@code network}, {@code volume}, {@code label}. Values of one key are alternatives (OR); keys
 * together must all hold (AND). Names and ids both match: a container by its id, an id prefix or
 * its name; an image by its reference or id.
 */
public final class EventFilter {
    public static final List<String> KEYS = List.of("type", "event", "container", "image", "network", "volume", "label");
    private static final List<String> TYPES = List.of(Event.CONTAINER, Event.IMAGE, Event.NETWORK, Event.VOLUME);

    private final Map<String, List<String>> values;

    public EventFilter(Map<String, List<String>> values) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        values.forEach((k, list) -> {
            if (!KEYS.contains(k)) throw new HutchException("invalid filter '" + k + "' (try one of " + String.join(", ", KEYS) + ")");
            if (k.equals("type"))
                for (String t : list)
                    if (!TYPES.contains(t))
                        throw new HutchException("invalid filter 'type=" + t + "' (hutch has events of " + String.join(", ", TYPES) + ")");
            v.put(k, List.copyOf(list));
        });
        this.values = v;
    }

    public static EventFilter none() { return new EventFilter(Map.of()); }

    /** From the CLI's {@code --filter key=value} flags. */
    public static EventFilter parse(List<String> flags) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) throw new HutchException("bad format of filter \"" + f + "\" (expected name=value, e.g. type=container)");
            v.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        return new EventFilter(v);
    }

    public boolean admits(Event e) {
        for (Map.Entry<String, List<String>> f : values.entrySet()) {
            boolean any = false;
            for (String v : f.getValue()) any |= holds(f.getKey(), v, e);
            if (!any) return false;
        }
        return true;
    }

    private static boolean holds(String key, String v, Event e) {
        Map<String, String> a = e.attributes();
        return switch (key) {
            case "type" -> e.type().equals(v);
            case "event" -> e.action().equals(v) || e.action().startsWith(v + ":"); // exec_start: sh → "exec_start"
            case "container" -> e.type().equals(Event.CONTAINER) && (idMatches(e.id(), v) || v.equals(a.get("name")));
            case "image" -> e.type().equals(Event.IMAGE) ? idMatches(e.id(), v) || imageNamed(a.get("name"), v) || imageNamed(e.id(), v)
                    : imageNamed(a.get("image"), v);
            case "network" -> e.type().equals(Event.NETWORK) && (idMatches(e.id(), v) || v.equals(a.get("name")));
            case "volume" -> e.type().equals(Event.VOLUME) && (e.id().equals(v) || v.equals(a.get("name")));
            case "label" -> {
                int eq = v.indexOf('=');
                yield eq < 0 ? a.containsKey(v) : v.substring(eq + 1).equals(a.get(v.substring(0, eq)));
            }
            default -> false;
        };
    }

    private static boolean idMatches(String id, String v) {
        if (id == null || v.isEmpty()) return false;
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        String want = v.startsWith("sha256:") ? v.substring(7) : v;
        return hex.startsWith(want);
    }

    /** "busybox" names busybox:latest, as docker's image filter does. */
    private static boolean imageNamed(String name, String v) {
        if (name == null) return false;
        return name.equals(v) || name.equals(v + ":latest") || (v.endsWith(":latest") && name.equals(v.substring(0, v.length() - 7)));
    }
}
