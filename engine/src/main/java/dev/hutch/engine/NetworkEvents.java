package dev.hutch.engine;

import dev.hutch.events.Event;
import dev.hutch.net.store.NetworkConfig;

import java.util.Map;
import java.util.TreeMap;

/** docker's network events: the network's id, its name and type, and for connect/disconnect the container. */
final class NetworkEvents {
    private NetworkEvents() {}

    static void record(Engine engine, String action, String network, String containerId) {
        record(engine, action, idOf(engine, network), network, containerId);
    }

    /** With the id given: after a remove the record is gone and cannot tell it. */
    static void record(Engine engine, String action, String id, String name, String containerId) {
        Map<String, String> attrs = new TreeMap<>(Map.of("name", name, "type", "bridge"));
        if (containerId != null) attrs.put("container", containerId);
        engine.events().record(Event.NETWORK, action, id, attrs);
    }

    static String idOf(Engine engine, String network) {
        try {
            return engine.networking().store().find(network).map(NetworkConfig::id).orElse(network);
        } catch (RuntimeException e) {
            return network; // the default bridge has no record of its own: its name stands for its id
        }
    }
}
