package dev.hutch.cli.api;

import dev.hutch.image.Image;
import dev.hutch.spec.ContainerSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers the API created but has not started yet. hutch's engine makes a container and starts
 * it in one flow (so that a failed run leaves nothing behind); docker's create/start split is kept
 * here, in the service's memory: create validates everything and picks the id, start runs the
 * spec under that id. The limit, said in docs/docker-api.md: a created container lives only as
 * long as the service that created it, and only this API sees it (not `hutch ps`).
 */
final class PendingContainers {
    record Pending(String id, String name, ContainerSpec spec, Image image, Instant created) {}

    private final Map<String, Pending> byId = new ConcurrentHashMap<>();

    synchronized void add(Pending p) {
        for (Pending other : byId.values())
            if (other.name.equals(p.name)) throw nameInUse(p.name, other.id);
        byId.put(p.id, p);
    }

    static ApiError nameInUse(String name, String id) {
        return ApiError.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \"" + id
                + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    /** By full id, unique id prefix or name, as the engine resolves; null when none matches. */
    Pending find(String ref) {
        if (ref == null || ref.isEmpty()) return null;
        Pending exact = byId.get(ref);
        if (exact != null) return exact;
        List<Pending> matches = new ArrayList<>();
        for (Pending p : byId.values()) if (p.name.equals(ref) || p.id.startsWith(ref)) matches.add(p);
        return matches.size() == 1 ? matches.get(0) : null;
    }

    /** docker rename before the start: the same container under a new name; the caller checked the name is free. */
    synchronized void rename(Pending p, String name) {
        for (Pending other : byId.values())
            if (other != p && other.name.equals(name)) throw nameInUse(name, other.id);
        byId.replace(p.id, p, new Pending(p.id, name, p.spec.toBuilder().name(name).build(), p.image, p.created));
    }

    /** Takes it out to start it: whoever takes it starts it, so two starts cannot both run it. */
    boolean take(Pending p) { return byId.remove(p.id, p); }

    void remove(Pending p) { byId.remove(p.id, p); }

    List<Pending> all() { return List.copyOf(byId.values()); }
}
