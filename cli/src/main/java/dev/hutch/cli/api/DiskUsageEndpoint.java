package dev.hutch.cli.api;

import dev.hutch.cli.commands.DiskUsage;
import dev.hutch.image.Image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /system/df}: docker's disk usage document, from the same measurement as
 * {@code hutch system df} ({@link DiskUsage#measure}), so both print the same numbers. The docker
 * CLI sums it itself: images' reclaimable space is LayersSize less each used image's
 * unshared bytes, which for used images sharing layers with unused ones is more than hutch's own
 * table (that counts each layer a used image needs as not reclaimable).
 */
final class DiskUsageEndpoint {
    private DiskUsageEndpoint() {}

    static void register(ApiRouter router) {
        router.add("GET", "/system/df", DiskUsageEndpoint::df);
    }

    static void df(ApiCall call) throws IOException {
        DiskUsage.Report r = DiskUsage.measure(call.engine());
        List<Map<String, Object>> images = new ArrayList<>();
        for (DiskUsage.ImageUsage u : r.images()) {
            Image image = u.summary().image();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", image.id());
            m.put("ParentId", "");
            m.put("RepoTags", image.repoTags().isEmpty() ? List.of("<none>:<none>") : image.repoTags());
            m.put("RepoDigests", List.of());
            m.put("Created", u.summary().created() == null ? 0 : u.summary().created().getEpochSecond());
            m.put("Size", u.size());
            m.put("SharedSize", u.sharedSize());
            m.put("VirtualSize", u.size());
            m.put("Labels", image.config().labels() == null ? Map.of() : image.config().labels());
            m.put("Containers", u.containers());
            images.add(m);
        }
        Map<String, String> networkIds = ContainerEndpoints.networkIds(call);
        List<Map<String, Object>> containers = new ArrayList<>();
        for (DiskUsage.ContainerUsage u : r.containers()) {
            Map<String, Object> m = new LinkedHashMap<>(ContainerShapes.summary(
                    ContainerShapes.View.of(u.state(), call.engine().states().health(u.state())), networkIds));
            m.put("SizeRw", u.size());
            m.put("SizeRootFs", u.size() + imageSize(r, u.state().imageId()));
            containers.add(m);
        }
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (DiskUsage.VolumeUsage u : r.volumes()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) u.volume().toJson());
            m.put("UsageData", Map.of("Size", u.size(), "RefCount", u.refCount()));
            volumes.add(m);
        }
        List<Map<String, Object>> cache = new ArrayList<>();
        for (DiskUsage.CacheEntry e : r.buildCache()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", e.key().substring(0, 25));
            m.put("Parent", "");
            m.put("Type", "regular");
            m.put("Description", "hutch build step → " + e.imageId());
            m.put("InUse", false);
            m.put("Shared", false);
            m.put("Size", e.size());
            m.put("CreatedAt", e.modified().toString());
            m.put("LastUsedAt", e.modified().toString());
            m.put("UsageCount", 0);
            cache.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("LayersSize", r.layersSize());
        out.put("Images", images);
        out.put("Containers", containers);
        out.put("Volumes", volumes);
        out.put("BuildCache", cache);
        call.response().json(200, out);
    }

    private static long imageSize(DiskUsage.Report r, String imageId) {
        for (DiskUsage.ImageUsage u : r.images()) if (u.summary().image().id().equals(imageId)) return u.size();
        return 0;
    }
}
