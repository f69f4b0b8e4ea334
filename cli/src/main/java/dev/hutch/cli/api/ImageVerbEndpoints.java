package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.image.Image;
import dev.hutch.image.ImageCommitter;
import dev.hutch.image.ImageReference;
import dev.hutch.image.ImageViews;
import dev.hutch.image.RemovalReport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image verbs that answer at once: {@code POST /images/{name}/tag}, {@code DELETE /images/{name}},
 * {@code GET /images/{name}/history} and {@code POST /commit}, over the engine verbs the CLI's
 * tag, rmi, history and commit call (so they record the same events).
 */
final class ImageVerbEndpoints {
    private ImageVerbEndpoints() {}

    static void register(ApiRouter router) {
        router.add("POST", "/images/(.+)/tag", ImageVerbEndpoints::tag)
                .add("GET", "/images/(.+)/history", ImageVerbEndpoints::history)
                .add("POST", "/commit", ImageVerbEndpoints::commit)
                .add("DELETE", "/images/(.+)", ImageVerbEndpoints::remove);
    }

    static void tag(ApiCall call) throws IOException {
        String source = call.param(0);
        String repo = call.query("repo"), tag = call.query("tag");
        if (repo == null || repo.isEmpty()) throw ApiError.badParameter("repository name (repo) must not be empty");
        String target = repo + (tag == null || tag.isEmpty() ? "" : ":" + tag);
        known(call, source);
        try {
            ImageReference.normalize(target);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("invalid reference format: " + target + " (" + e.getMessage() + ")");
        }
        call.engine().tag(source, target);
        call.response().empty(201);
    }

    /**
     * docker's answers: 404 for an unknown image; 409 when a container uses it (without force) or
     * when it has several names and is named by id (without force).
     */
    static void remove(ApiCall call) throws IOException {
        String ref = call.param(0);
        String id = call.engine().images().findId(ref);
        if (id == null) throw ApiError.noSuchImage(ref);
        boolean force = call.flag("force", false);
        RemovalReport report;
        try {
            report = call.engine().removeImage(ref, force);
        } catch (NotFoundException e) {
            throw ApiError.noSuchImage(ref);
        } catch (HutchException e) {
            throw ApiError.conflict("conflict: unable to remove " + ref + ": " + e.getMessage());
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (String t : report.untagged()) out.add(Map.of("Untagged", t));
        for (String d : report.deleted()) out.add(Map.of("Deleted", d));
        call.response().json(200, out);
    }

    static void history(ApiCall call) throws IOException {
        String ref = call.param(0);
        Image image = known(call, ref);
        List<Map<String, Object>> out = new ArrayList<>();
        boolean top = true;
        for (ImageViews.HistoryRow h : new ImageViews(call.engine().images()).history(ref)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", h.imageId());
            m.put("Created", h.created() == null ? 0 : h.created().getEpochSecond());
            m.put("CreatedBy", h.createdBy() == null ? "" : h.createdBy());
            m.put("Tags", top && !image.repoTags().isEmpty() ? image.repoTags() : null);
            m.put("Size", h.size());
            m.put("Comment", h.comment() == null ? "" : h.comment());
            out.add(m);
            top = false;
        }
        call.response().json(200, out);
    }

    /** The image, the built-in busybox made on first use as for run; 404 for an unknown one. */
    static Image known(ApiCall call, String ref) {
        try {
            return call.engine().image(ref);
        } catch (NotFoundException e) {
            throw ApiError.noSuchImage(ref);
        }
    }

    /**
     * docker commit: {@code container}, {@code repo}, {@code tag}, {@code comment}, {@code author},
     * {@code changes} (Dockerfile instructions, one per line); answered 201 with the new image's id.
     * A running container is frozen while its layer is copied, whatever {@code pause} says: a copy
     * of a changing file system is not an image.
     */
    static void commit(ApiCall call) throws IOException {
        String container = call.query("container");
        if (container == null || container.isEmpty()) throw ApiError.badParameter("commit needs a container (the container query parameter)");
        ContainerEndpoints.Found found = ContainerEndpoints.find(call, container);
        if (found.created() && found.state().rootfs().isEmpty()) // nothing copied into it either: no writable layer yet
            throw ApiError.conflict("container " + container + " was created but never started: it has no file system to commit yet");
        String repo = call.query("repo"), tag = call.query("tag");
        List<String> tags = repo == null || repo.isEmpty() ? List.of() : List.of(repo + (tag == null || tag.isEmpty() ? "" : ":" + tag));
        List<String> changes = new ArrayList<>();
        for (String given : call.request().queryAll("changes")) // docker sends each -c as its own parameter
            for (String line : given.split("\n")) if (!line.isBlank()) changes.add(line.trim());
        String comment = call.query("comment"), author = call.query("author");
        var options = new ImageCommitter.CommitOptions(changes, author == null || author.isEmpty() ? null : author,
                comment == null || comment.isEmpty() ? null : comment, null, tags);
        String id = call.engine().commit(found.id(), options);
        call.response().json(201, Map.of("Id", id));
    }
}
