package dev.hutch.cli.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's memory of attached containers: sessions that attached to a created container and
 * wait for its start (docker run attaches before it starts), the relay of each container the API
 * started in the foreground, and the exit code of each such run, which outlives the container
 * (a {@code --rm} one is removed before a late wait could read it from disk).
 */
final class Attachments {
    private static final int KEEP_EXITS = 256;

    private final Map<String, List<StreamHub.Session>> waiting = new ConcurrentHashMap<>();
    private final Map<String, StreamHub> hubs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();

    synchronized void awaitStart(String id, StreamHub.Session s) {
        waiting.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
    }

    synchronized List<StreamHub.Session> takeWaiting(String id) {
        List<StreamHub.Session> s = waiting.remove(id);
        return s == null ? List.of() : s;
    }

    /** A created container removed before its start: its waiting sessions end. */
    void forget(String id) {
        for (StreamHub.Session s : takeWaiting(id)) s.finish();
        CompletableFuture<Integer> exit = exits.remove(id);
        if (exit != null) exit.complete(0); // a wait for it ends, as for a removed container
    }

    StreamHub hub(String id) { return hubs.get(id); }

    /** Before the start: a wait that comes meanwhile finds the future. */
    CompletableFuture<Integer> expectExit(String id) {
        if (exits.size() > KEEP_EXITS) exits.values().removeIf(CompletableFuture::isDone);
        return exits.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void started(String id, StreamHub hub) { hubs.put(id, hub); }

    void ended(String id, StreamHub hub) { hubs.remove(id, hub); }

    /** The exit code of a foreground run the API started, once known; null for another container. */
    CompletableFuture<Integer> exit(String id) { return exits.get(id); }
}
