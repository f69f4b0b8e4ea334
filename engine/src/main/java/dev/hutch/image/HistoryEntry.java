package dev.hutch.image;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of an image's history, as in the OCI config's {@code history} array. Steps that changed
 * only the config ({@code CMD}, {@code ENV}) have {@code emptyLayer} set and no layer of their own.
 */
public record HistoryEntry(String created, String createdBy, String comment, boolean emptyLayer) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", created);
        m.put("created_by", createdBy == null ? "" : createdBy);
        if (comment != null && !comment.isEmpty()) m.put("comment", comment);
        if (emptyLayer) m.put("empty_layer", true);
        return m;
    }

    public static HistoryEntry fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new HistoryEntry(r.string("created", ""), r.string("created_by", ""), r.string("comment", ""),
                r.bool("empty_layer", false));
    }
}
