package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.layer.LayerChanges;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * rename and changes (docker rename, docker diff) over the engine's verbs, answered as dockerd
 * does, for created, running and stopped containers alike.
 */
final class ContainerNames {
    private static final Pattern VALID_NAME = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private ContainerNames() {}

    static void register(ApiRouter router) {
        router.add("POST", "/containers/([^/]+)/rename", ContainerNames::rename)
                .add("GET", "/containers/([^/]+)/changes", ContainerNames::changes);
    }

    static void rename(ApiCall call) throws IOException {
        String name = call.query("name");
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        if (name == null || name.isEmpty()) throw ApiError.badParameter("Neither old nor new names may be empty");
        if (!VALID_NAME.matcher(name).matches())
            throw ApiError.badParameter("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        String wanted = name.startsWith("/") ? name.substring(1) : name;
        if (wanted.equals(f.view().name())) throw ApiError.badParameter("Renaming a container with the same name as its current name");
        try {
            call.engine().rename(f.id(), wanted);
        } catch (HutchException e) {
            if (e.getMessage().startsWith("Conflict.")) throw ApiError.conflict(e.getMessage());
            throw e;
        }
        call.response().empty(204);
    }

    /** [{"Path": "/tmp", "Kind": 0}, ...]: 0 modified, 1 added, 2 deleted. */
    static void changes(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        List<Map<String, Object>> out = new ArrayList<>();
        for (LayerChanges.Change c : call.engine().changes(f.id())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Path", c.path());
            m.put("Kind", c.kind().ordinal());
            out.add(m);
        }
        call.response().json(200, out);
    }
}
