package dev.hutch.image;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image's config document as stored in {@code <libRoot>/images/sha256/<hex>.json}, in the shape
 * of an OCI image config: the run defaults, the layers' diff ids bottom first, and the history.
 * The image id is the sha256 of this document's JSON text.
 */
public record ImageRecord(Instant created, ImageConfig config, List<String> diffIds, List<History> history)
        implements JsonWritable {

    /** One step of how the image was made, as {@code hutch history} shows it. */
    public record History(Instant created, String createdBy, boolean emptyLayer) {}

    public ImageRecord {
        diffIds = List.copyOf(diffIds);
        history = List.copyOf(history);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", created.toString());
        m.put("architecture", "amd64");
        m.put("os", "linux");
        m.put("config", config.toJson());
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        m.put("rootfs", rootfs);
        m.put("history", history.stream().map(h -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("created", h.created().toString());
            x.put("created_by", h.createdBy());
            if (h.emptyLayer()) x.put("empty_layer", true);
            return (Object) x;
        }).toList());
        return m;
    }

    public static ImageRecord fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        List<History> history = r.list("history").stream().map(o -> {
            JsonReader h = JsonReader.of(o);
            return new History(Instant.parse(h.string("created", "1970-01-01T00:00:00Z")), h.string("created_by", ""),
                    h.bool("empty_layer", false));
        }).toList();
        return new ImageRecord(Instant.parse(r.string("created", "1970-01-01T00:00:00Z")),
                ImageConfig.fromJson(r.raw().get("config")), r.object("rootfs").strings("diff_ids"), history);
    }
}
