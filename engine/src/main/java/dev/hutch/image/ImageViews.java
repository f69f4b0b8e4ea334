package dev.hutch.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code hutch history} and {@code hutch image inspect} show, in docker's shapes. */
public final class ImageViews {

    /**
     * One row of {@code history}, newest first.
     *
     * @param imageId the image's id on the newest row, "&lt;missing&gt;" below it (as docker prints
     *                for steps that are not images of their own)
     * @param size    bytes the step's layer adds; 0 for config-only steps
     */
    public record HistoryRow(String imageId, Instant created, String createdBy, long size, String comment) {}

    private final LocalImageStore store;

    public ImageViews(LocalImageStore store) { this.store = store; }

    public List<HistoryRow> history(String reference) {
        Image image = store.resolve(reference);
        ImageDocument doc = store.document(image.id());
        List<HistoryEntry> steps = doc.history();
        List<String> diffIds = doc.diffIds();
        List<HistoryRow> rows = new ArrayList<>();
        int layer = 0;
        for (HistoryEntry h : steps) {
            long size = 0;
            if (!h.emptyLayer() && layer < diffIds.size()) size = store.layers().get(diffIds.get(layer++)).size();
            rows.add(new HistoryRow("<missing>", parse(h.created()), h.createdBy(), size, h.comment()));
        }
        // an image without history (imported from elsewhere) still shows one row per layer
        for (; layer < diffIds.size(); layer++)
            rows.add(new HistoryRow("<missing>", doc.createdInstant(), "", store.layers().get(diffIds.get(layer)).size(), ""));
        java.util.Collections.reverse(rows);
        if (!rows.isEmpty()) {
            HistoryRow top = rows.get(0);
            rows.set(0, new HistoryRow(image.id(), top.created(), top.createdBy(), top.size(), top.comment()));
        }
        return rows;
    }

    /** {@code image inspect}: docker's field names, so scripts written for docker read it. */
    public Map<String, Object> inspect(String reference) {
        Image image = store.resolve(reference);
        ImageDocument doc = store.document(image.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id());
        m.put("RepoTags", image.repoTags());
        m.put("Created", doc.created());
        if (doc.author() != null && !doc.author().isEmpty()) m.put("Author", doc.author());
        m.put("Config", doc.config());
        m.put("Architecture", doc.architecture());
        m.put("Os", doc.os());
        m.put("Size", store.size(image));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", "layers");
        rootfs.put("Layers", doc.diffIds());
        m.put("RootFS", rootfs);
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Name", "overlay");
        graph.put("Data", Map.of("LowerDirs", image.layerDirs().stream().map(Object::toString).toList()));
        m.put("GraphDriver", graph);
        return m;
    }

    private static Instant parse(String created) {
        try {
            return Instant.parse(created);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
