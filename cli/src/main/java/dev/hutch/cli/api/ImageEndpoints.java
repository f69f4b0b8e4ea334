package dev.hutch.cli.api;

import dev.hutch.image.Image;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.ImageSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /images/json} and {@code GET /images/{name}/json}; the other image verbs: ImageVerbEndpoints, ImageTransferEndpoints. */
final class ImageEndpoints {
    private ImageEndpoints() {}

    static void register(ApiRouter router) {
        router.add("GET", "/images/json", ImageEndpoints::list)
                .add("GET", "/images/(.+)/json", ImageEndpoints::inspect);
    }

    static void list(ApiCall call) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageSummary s : call.engine().images().summaries()) {
            Image image = s.image();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", image.id());
            m.put("ParentId", "");
            m.put("RepoTags", image.repoTags().isEmpty() ? List.of("<none>:<none>") : image.repoTags());
            m.put("RepoDigests", List.of());
            m.put("Created", s.created() == null ? 0 : s.created().getEpochSecond());
            m.put("Size", s.size());
            m.put("VirtualSize", s.size());
            m.put("SharedSize", -1);
            m.put("Labels", image.config().labels() == null ? Map.of() : image.config().labels());
            m.put("Containers", -1);
            out.add(m);
        }
        call.response().json(200, out);
    }

    static void inspect(ApiCall call) throws IOException {
        String ref = call.param(0);
        Image image = call.engine().images().find(ref);
        if (image == null) throw ApiError.noSuchImage(ref);
        ImageDocument doc = call.engine().images().document(image.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id());
        m.put("RepoTags", image.repoTags());
        m.put("RepoDigests", List.of());
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", doc.created() == null ? ContainerShapes.ZERO_TIME : doc.created());
        m.put("Author", doc.author() == null ? "" : doc.author());
        m.put("Config", imageConfig(image));
        m.put("Architecture", doc.architecture());
        m.put("Os", doc.os());
        long size = call.engine().images().size(image);
        m.put("Size", size);
        m.put("VirtualSize", size);
        m.put("RootFS", Map.of("Type", "layers", "Layers", doc.diffIds()));
        call.response().json(200, m);
    }

    private static Map<String, Object> imageConfig(Image image) {
        var c = image.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Env", c.env());
        m.put("Cmd", c.cmd());
        m.put("Entrypoint", c.entrypoint());
        m.put("WorkingDir", c.workdir() == null ? "" : c.workdir());
        m.put("User", c.user() == null ? "" : c.user());
        Map<String, Object> ports = new LinkedHashMap<>();
        if (c.exposedPorts() != null) for (String p : c.exposedPorts()) ports.put(p, Map.of());
        m.put("ExposedPorts", ports);
        m.put("Labels", c.labels());
        return m;
    }
}
