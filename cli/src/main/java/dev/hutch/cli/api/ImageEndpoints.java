package dev.hutch.cli.api;

import dev.hutch.cli.filter.BadFilterException;
import dev.hutch.cli.filter.FilterArgs;
import dev.hutch.cli.filter.ImageFilter;
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
        List<ImageFilter.Selected> selected;
        try {
            selected = new ImageFilter(FilterArgs.fromJson(call.query("filters"))).select(call.engine().images());
        } catch (BadFilterException e) {
            throw ApiError.badParameter(e.getMessage());
        }
        for (ImageFilter.Selected sel : selected) {
            ImageSummary s = sel.summary();
            Image image = s.image();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", image.id());
            m.put("ParentId", "");
            // an untagged image as dockerd before API 1.44 shows it: the docker CLI lists it as <none> only with both
            boolean untagged = sel.tags().isEmpty();
            m.put("RepoTags", untagged ? List.of("<none>:<none>") : sel.tags());
            m.put("RepoDigests", untagged ? List.of("<none>@<none>") : List.of());
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

    /**
     * docker pull of a name without a registry (the docker CLI and Testcontainers pull when an
     * image is missing), which this API never sends to Docker Hub unasked: an image the store has,
     * or a built-in one (busybox, built here), answers as a pull that succeeded, in the stream of
     * JSON progress lines docker sends; any other name is a 404 that says what to do.
     */
    static void pullLocal(ApiCall call, String ref, String notFound) throws IOException {
        boolean present = call.engine().images().find(ref) != null;
        Image image;
        try {
            image = call.engine().image(ref); // builds a built-in one that is not there yet
        } catch (dev.hutch.NotFoundException e) {
            throw new ApiError(404, notFound);
        }
        String named = ContainerEndpoints.withDefaultTag(ref);
        try (java.io.OutputStream out = call.response().stream(200, "application/json")) {
            out.write(progress(Map.of("status", (present ? "Found " : "Built ") + named + " (built into hutch, not pulled from a registry)")));
            out.write(progress(Map.of("status", "Digest: " + image.id())));
            out.write(progress(Map.of("status", "Status: " + (present ? "Image is up to date for " : "Downloaded newer image for ") + named)));
        }
    }

    private static byte[] progress(Map<String, Object> line) {
        return (dev.hutch.json.Json.write(line) + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
