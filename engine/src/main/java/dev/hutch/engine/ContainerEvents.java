package dev.hutch.engine;

import dev.hutch.state.ContainerState;

import java.util.Map;
import java.util.TreeMap;

/** The attributes docker gives a container's events: its labels, image and name, then the action's own. */
final class ContainerEvents {
    private ContainerEvents() {}

    static Map<String, String> attributes(ContainerState s, Map<String, String> extra) {
        Map<String, String> a = new TreeMap<>();
        if (s.spec() != null) {
            a.putAll(s.spec().labels());
            if (s.spec().image() != null) a.put("image", s.spec().image());
        }
        if (s.name() != null) a.put("name", s.name());
        a.putAll(extra);
        return a;
    }
}
