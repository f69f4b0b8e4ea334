package dev.hutch.image;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI image configuration document: the file whose sha256 is the image id. It names the layers
 * by diff id (bottom first) and carries the run defaults ({@link ImageConfig}) and the history.
 * Written with a fixed key order so the same image always gets the same id.
 */
public record ImageDocument(String architecture, String os, String created, String author, ImageConfig config,
                            List<String> diffIds, List<HistoryEntry> history) implements JsonWritable {

    public ImageDocument {
        diffIds = List.copyOf(diffIds);
        history = List.copyOf(history == null ? List.of() : history);
    }

    public static String hostArchitecture() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    public Instant createdInstant() {
        try {
            return Instant.parse(created);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture);
        m.put("os", os);
        m.put("created", created);
        if (author != null && !author.isEmpty()) m.put("author", author);
        m.put("config", config);
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        m.put("rootfs", rootfs);
        m.put("history", history);
        return m;
    }

    public byte[] toBytes() { return Json.write(this).getBytes(StandardCharsets.UTF_8); }

    public static ImageDocument parse(byte[] bytes) {
        JsonReader r = JsonReader.of(Json.parseObject(new String(bytes, StandardCharsets.UTF_8)));
        Map<String, Object> cfg = r.object("config").raw();
        return new ImageDocument(r.string("architecture", hostArchitecture()), r.string("os", "linux"),
                r.string("created", ""), r.string("author", ""),
                ImageConfig.fromJson(cfg.isEmpty() ? new LinkedHashMap<>() : cfg),
                r.object("rootfs").strings("diff_ids"),
                r.list("history").stream().map(HistoryEntry::fromJson).toList());
    }

    public ImageDocument withLayersAndConfig(List<String> newDiffIds, ImageConfig newConfig, List<HistoryEntry> newHistory,
                                             String newCreated, String newAuthor) {
        return new ImageDocument(architecture, os, newCreated, newAuthor, newConfig, newDiffIds, newHistory);
    }
}
