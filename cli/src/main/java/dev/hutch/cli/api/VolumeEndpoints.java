package dev.hutch.cli.api;

import dev.hutch.NotFoundException;
import dev.hutch.runtime.NameGenerator;
import dev.hutch.volume.Volume;
import dev.hutch.volume.VolumeStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /volumes}: hutch's named volumes (the engine's {@link VolumeStore}, as {@code hutch
 * volume}), whose JSON is docker's already. Only the {@code local} driver, without options.
 */
final class VolumeEndpoints {
    private VolumeEndpoints() {}

    static void register(ApiRouter router) {
        router.add("GET", "/volumes", VolumeEndpoints::list)
                .add("POST", "/volumes/create", VolumeEndpoints::create)
                .add("GET", "/volumes/([^/]+)", VolumeEndpoints::inspect)
                .add("DELETE", "/volumes/([^/]+)", VolumeEndpoints::remove);
    }

    static void list(ApiCall call) throws IOException {
        Map<String, List<String>> filters = Filters.parse(call.query("filters"), List.of("name", "driver", "dangling"));
        List<String> dangling = filters.get("dangling");
        List<Object> out = new ArrayList<>();
        for (Volume v : call.engine().volumes().list()) {
            if (!Filters.matches(filters.get("name"), v.name(), true) || !Filters.matches(filters.get("driver"), "local", false)) continue;
            if (dangling != null && !dangling.isEmpty()) {
                boolean unused = !call.engine().volumeInUse(v.name());
                if (dangling.stream().noneMatch(d -> (d.equals("true") || d.equals("1")) == unused)) continue;
            }
            out.add(v.toJson());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Volumes", out);
        m.put("Warnings", null);
        call.response().json(200, m);
    }

    static void create(ApiCall call) throws IOException {
        Map<String, Object> body = NetworkEndpoints.body(call);
        Object driver = body.get("Driver");
        if (driver != null && !"".equals(driver) && !"local".equals(driver))
            throw ApiError.badParameter("volume driver \"" + driver + "\" is not supported: hutch's volumes are local directories");
        if (body.get("DriverOpts") instanceof Map<?, ?> o && !o.isEmpty())
            throw ApiError.badParameter("volume driver options are not supported: hutch's volumes are plain directories");
        String name = body.get("Name") instanceof String s && !s.isEmpty() ? s : NameGenerator.newId();
        Map<String, String> labels = new LinkedHashMap<>();
        if (body.get("Labels") instanceof Map<?, ?> l) l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        VolumeStore store = call.engine().volumes();
        Volume existing = store.find(name);
        Volume made = existing != null ? existing : store.create(name, labels); // dockerd: an existing one is returned
        if (existing == null) call.engine().volumeEvent("create", name);
        call.response().json(201, made.toJson());
    }

    static void inspect(ApiCall call) throws IOException {
        call.response().json(200, find(call, call.param(0)).toJson());
    }

    static void remove(ApiCall call) throws IOException {
        String name = call.param(0);
        VolumeStore store = call.engine().volumes();
        if (store.find(name) == null) {
            if (call.flag("force", false)) {
                call.response().empty(204);
                return;
            }
            throw new ApiError(404, "get " + name + ": no such volume");
        }
        if (call.engine().volumeInUse(name)) throw ApiError.conflict("remove " + name + ": volume is in use");
        try {
            store.remove(name, true, call.engine()::volumeInUse); // checked again under the store's lock
            call.engine().volumeEvent("destroy", name);
        } catch (dev.hutch.HutchException e) {
            throw ApiError.conflict("remove " + name + ": volume is in use");
        }
        call.response().empty(204);
    }

    private static Volume find(ApiCall call, String name) {
        try {
            Volume v = call.engine().volumes().find(name);
            if (v != null) return v;
        } catch (NotFoundException e) {
            // the same answer below
        }
        throw new ApiError(404, "get " + name + ": no such volume");
    }
}
