package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.image.Image;
import dev.hutch.image.ImageCommitter;
import dev.hutch.image.ImageLoader;
import dev.hutch.image.ImageSaver;
import dev.hutch.registry.AuthFile;
import dev.hutch.registry.Credentials;
import dev.hutch.registry.ImagePuller;
import dev.hutch.registry.ImagePusher;
import dev.hutch.registry.Platform;
import dev.hutch.registry.PullResult;
import dev.hutch.registry.Reference;
import dev.hutch.registry.RegistryConfig;
import dev.hutch.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The image verbs that move images in and out, as streams: save ({@code GET /images/{name}/get},
 * {@code GET /images/get}), load, push, and {@code POST /images/create} (pull, or import with
 * {@code fromSrc=-}); the same code as the CLI's save, load, push, pull and import.
 */
final class ImageTransferEndpoints {
    private ImageTransferEndpoints() {}

    static void register(ApiRouter router) {
        router.add("GET", "/images/get", ImageTransferEndpoints::saveAll)
                .add("GET", "/images/(.+)/get", ImageTransferEndpoints::saveOne)
                .addStreamed("POST", "/images/load", ImageTransferEndpoints::load)
                .add("POST", "/images/(.+)/push", ImageTransferEndpoints::push)
                .addStreamed("POST", "/images/create", ImageTransferEndpoints::create); // import's tar; a pull has no body
    }

    static void saveOne(ApiCall call) throws IOException { save(call, List.of(call.param(0))); }

    static void saveAll(ApiCall call) throws IOException {
        List<String> names = call.request().queryAll("names");
        if (names.isEmpty()) throw ApiError.badParameter("save needs at least one image (the names query parameter)");
        save(call, names);
    }

    /** docker-archive tar, as {@code docker save}; every name is checked (404) before the stream starts. */
    private static void save(ApiCall call, List<String> refs) throws IOException {
        for (String r : refs) ImageVerbEndpoints.known(call, r);
        try (OutputStream out = call.response().stream(200, "application/x-tar")) {
            new ImageSaver(call.engine().images()).save(refs, ImageSaver.Format.DOCKER_ARCHIVE, out);
        }
        for (String r : refs) call.engine().imageEvent("save", call.engine().images().find(r).id(), r);
    }

    /** docker load: the tar in the body; answered with docker's {"stream": "Loaded image: ..."} lines. */
    static void load(ApiCall call) throws IOException {
        List<Image> images = new ImageLoader(call.engine().images()).load(call.request().bodyStream()); // as it arrives: any size
        try (ProgressStream progress = new ProgressStream(call)) {
            for (Image image : images) {
                call.engine().imageEvent("load", image.id(), image.repoTags().isEmpty() ? image.id() : image.repoTags().get(0));
                if (image.repoTags().isEmpty()) progress.stream("Loaded image ID: " + image.id() + "\n");
                for (String t : image.repoTags()) progress.stream("Loaded image: " + t + "\n");
            }
        }
    }

    /** docker push: X-Registry-Auth's credentials (if any) for this push only; docker's progress lines. */
    static void push(ApiCall call) throws IOException {
        String tag = call.query("tag");
        String name = call.param(0) + (tag == null || tag.isEmpty() ? "" : ":" + tag);
        Reference ref = parse(name);
        try (RequestAuth auth = RequestAuth.of(call, ref.registry())) {
            ImagePusher pusher = new ImagePusher(call.engine().images(), auth.config(), ImagePusher.DEFAULT_CHUNK_BYTES, true);
            Image image = pusher.find(ref);
            if (image == null) throw ApiError.noSuchImage(name);
            try (ProgressStream progress = new ProgressStream(call)) {
                progress.status("The push refers to repository [" + ref.shownRepository() + "]", null);
                try {
                    ImagePusher.PushResult r = pusher.push(ref, image, progress);
                    progress.status(r.tag() + ": digest: " + r.digest() + " size: " + r.size(), null);
                    progress.write(Map.of("progressDetail", Map.of(), "aux", Map.of("Tag", r.tag(), "Digest", r.digest(), "Size", r.size())));
                    call.engine().imageEvent("push", ref.localName() + ":" + r.tag(), ref.localName());
                } catch (HutchException e) {
                    progress.error(e.getMessage());
                }
            }
        }
    }

    /** {@code fromImage} (+ {@code tag}): pull; {@code fromSrc=-}: import the body's tar as {@code repo:tag}. */
    static void create(ApiCall call) throws IOException {
        String fromSrc = call.query("fromSrc");
        if (fromSrc != null && !fromSrc.isEmpty()) {
            importTar(call, fromSrc);
            return;
        }
        String from = call.query("fromImage"), tag = call.query("tag");
        if (from == null || from.isEmpty()) throw ApiError.badParameter("create needs fromImage (pull) or fromSrc=- (import)");
        boolean digest = tag != null && tag.startsWith("sha256:");
        String name = from + (tag == null || tag.isEmpty() || from.contains("@") ? "" : (digest ? "@" : ":") + tag);
        Reference ref = parse(name);
        if (ref.registry().equals(Reference.DOCKER_HUB) && !from.startsWith("docker.io/") && !from.startsWith("index.docker.io/"))
            // A client pulls a short name by itself when create says 404 (docker run); through this API
            // that never reaches Docker Hub unasked: the name must say its registry (hutch pull does not need to).
        {
            ImageEndpoints.pullLocal(call, name, "No such image: " + name + (name.contains(":") || name.contains("@") ? "" : ":latest")
                    + " (hutch's Docker API pulls only from a registry the name gives, e.g. docker.io/library/" + from
                    + " or 127.0.0.1:5000/" + from + "; or run `hutch pull " + name + "` first; busybox is built in)");
            return;
        }
        String platform = call.query("platform");
        Platform wanted = platform == null || platform.isBlank() ? Platform.host() : Platform.parse(platform);
        try (RequestAuth auth = RequestAuth.of(call, ref.registry()); ProgressStream progress = new ProgressStream(call)) {
            String shown = ref.localName() + (ref.tag() != null ? ":" + ref.tag() : "@" + ref.digest());
            progress.status("Pulling from " + ref.shownRepository(), ref.tag() != null ? ref.tag() : ref.digest());
            try {
                PullResult r = new ImagePuller(call.engine().images(), auth.config()).pull(ref, wanted, progress);
                call.engine().imageEvent("pull", shown, ref.localName());
                progress.status("Digest: " + r.manifestDigest(), null);
                progress.status((r.downloaded() ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + shown, null);
            } catch (HutchException e) {
                progress.error(e.getMessage());
            }
        }
    }

    private static void importTar(ApiCall call, String fromSrc) throws IOException {
        if (!fromSrc.equals("-"))
            throw ApiError.notImplemented("import from a URL is not supported by hutch (send the tar in the body with fromSrc=-)");
        String repo = call.query("repo"), tag = call.query("tag");
        List<String> tags = repo == null || repo.isEmpty() ? List.of() : List.of(repo + (tag == null || tag.isEmpty() ? "" : ":" + tag));
        List<String> changes = new ArrayList<>();
        for (String c : call.request().queryAll("changes")) if (!c.isBlank()) changes.add(c.trim());
        String message = call.query("message");
        Image image = new ImageCommitter(call.engine().images())
                .importTarball(call.request().bodyStream(), changes, message == null ? "" : message, tags);
        call.engine().imageEvent("import", image.id(), tags.isEmpty() ? image.id() : tags.get(0));
        try (ProgressStream progress = new ProgressStream(call)) {
            progress.status(image.id(), null);
        }
    }

    private static Reference parse(String name) {
        try {
            return Reference.parse(name);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("invalid reference format: " + name + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The registry settings for one request: the service's, or with X-Registry-Auth's user and
     * password (base64url JSON, as the docker CLI sends it) in a private auth file that goes when
     * the request ends.
     */
    private record RequestAuth(RegistryConfig config, Path tempDir) implements AutoCloseable {
        static RequestAuth of(ApiCall call, String registry) throws IOException {
            Map<String, String> env = call.env();
            RegistryConfig base = RegistryConfig.fromEnvironment(env, dev.hutch.config.EngineConfig.fromEnvironment(env).libRoot());
            String header = call.request().header("X-Registry-Auth");
            if (header == null || header.isBlank()) return new RequestAuth(base, null);
            Map<String, Object> auth;
            try {
                auth = Json.parseObject(new String(Base64.getUrlDecoder().decode(header.trim()), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                try {
                    auth = Json.parseObject(new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8));
                } catch (RuntimeException e2) {
                    throw ApiError.badParameter("X-Registry-Auth is not base64 JSON");
                }
            }
            Object user = auth.get("username"), password = auth.get("password");
            if (!(user instanceof String u) || u.isEmpty() || !(password instanceof String p)) return new RequestAuth(base, null);
            Path dir = Files.createTempDirectory("hutch-api-auth");
            Path file = dir.resolve("auth.json");
            AuthFile.store(file, registry, new Credentials(u, p));
            return new RequestAuth(new RegistryConfig(base.certsDir(), base.insecure(), file, dir.resolve("no-docker-config.json")), dir);
        }

        @Override
        public void close() throws IOException {
            if (tempDir == null) return;
            try (var s = Files.list(tempDir)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(tempDir);
        }
    }
}
