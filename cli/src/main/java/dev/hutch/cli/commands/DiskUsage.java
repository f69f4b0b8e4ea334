package dev.hutch.cli.commands;

import dev.hutch.cli.Context;
import dev.hutch.engine.Engine;
import dev.hutch.image.ImageSummary;
import dev.hutch.rootfs.recipe.BuildCache;
import dev.hutch.spec.Mount;
import dev.hutch.volume.HostVolumes;
import dev.hutch.image.Image;
import dev.hutch.state.ContainerState;
import dev.hutch.volume.Volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * docker's {@code system df} numbers: for images, containers and volumes, how many there are,
 * how many are in use, their size on disk and how much of it a prune would give back. A layer
 * shared by several images is counted once. A container's size is its own data (the overlay's
 * upper dir, its log), never the merged view of the image under it.
 */
public final class DiskUsage {
    public record Row(String type, int total, int active, long size, long reclaimable) {}

    /** One image: its layers' bytes, those of them other images list too, and how many containers were made from it. */
    public record ImageUsage(ImageSummary summary, long size, long sharedSize, int containers) {}

    /** One container: its own data's bytes (docker's SizeRw). */
    public record ContainerUsage(ContainerState state, long size) {}

    /** One volume: its bytes and how many containers mount it. */
    public record VolumeUsage(Volume volume, long size, int refCount) {}

    /** One build cache entry: a step's key, the image it made, the file's bytes and when it was written. */
    public record CacheEntry(String key, String imageId, Path file, long size, java.time.Instant modified) {}

    /** Everything {@code system df} prints, measured once; the table's rows and the API's /system/df come from it. */
    public record Report(long layersSize, long imagesReclaimable, List<ImageUsage> images,
                         List<ContainerUsage> containers, List<VolumeUsage> volumes, List<CacheEntry> buildCache) {
        public List<Row> rows() {
            int activeImages = (int) images.stream().filter(i -> i.containers() > 0).count();
            long cSize = 0, cReclaim = 0;
            int running = 0;
            for (ContainerUsage c : containers) {
                cSize += c.size();
                if (c.state().isRunning()) running++;
                else cReclaim += c.size();
            }
            long vSize = 0, vReclaim = 0;
            int vActive = 0;
            for (VolumeUsage v : volumes) {
                vSize += v.size();
                if (v.refCount() > 0) vActive++;
                else vReclaim += v.size();
            }
            long cacheSize = buildCache.stream().mapToLong(CacheEntry::size).sum();
            return List.of(new Row("Images", images.size(), activeImages, layersSize, imagesReclaimable),
                    new Row("Containers", containers.size(), running, cSize, cReclaim),
                    new Row("Local Volumes", volumes.size(), vActive, vSize, vReclaim),
                    new Row("Build Cache", buildCache.size(), 0, cacheSize, cacheSize)); // no build holds an entry between builds
        }
    }

    private DiskUsage() {}

    static List<Row> of(Context ctx) { return measure(ctx.engine()).rows(); }

    public static Report measure(Engine engine) {
        List<ContainerState> containers = engine.list(true);
        List<ImageSummary> summaries = engine.images().summaries();
        Map<Path, Integer> listedBy = new HashMap<>();
        for (ImageSummary s : summaries) for (Path l : new HashSet<>(s.image().layerDirs())) listedBy.merge(l, 1, Integer::sum);
        Map<Path, Long> layerSize = new HashMap<>();
        listedBy.keySet().forEach(l -> layerSize.put(l, size(l)));
        Set<Path> activeLayers = new HashSet<>();
        List<ImageUsage> images = new ArrayList<>();
        for (ImageSummary s : summaries) {
            Image i = s.image();
            int users = (int) containers.stream().filter(c -> i.id().equals(c.imageId())).count();
            long own = 0, shared = 0;
            for (Path l : new HashSet<>(i.layerDirs())) {
                long b = layerSize.getOrDefault(l, 0L);
                own += b;
                if (listedBy.getOrDefault(l, 0) > 1) shared += b;
            }
            if (users > 0) activeLayers.addAll(i.layerDirs());
            images.add(new ImageUsage(s, own, shared, users));
        }
        long layersSize = 0, imageReclaim = 0;
        for (Map.Entry<Path, Long> e : layerSize.entrySet()) {
            layersSize += e.getValue();
            if (!activeLayers.contains(e.getKey())) imageReclaim += e.getValue();
        }
        List<ContainerUsage> cs = new ArrayList<>();
        Map<String, Integer> mounts = new HashMap<>();
        for (ContainerState c : containers) {
            cs.add(new ContainerUsage(c, size(engine.config().containerDataDir(c.id()))));
            List<Mount> ms = c.spec().mounts();
            for (int i = 0; i < ms.size(); i++) {
                Mount m = ms.get(i);
                if (m.type() != Mount.Type.VOLUME) continue;
                mounts.merge(m.source().isEmpty() ? HostVolumes.anonymousName(c.id(), i) : m.source(), 1, Integer::sum);
            }
        }
        List<VolumeUsage> vs = new ArrayList<>();
        for (Volume v : engine.volumes().list()) vs.add(new VolumeUsage(v, size(v.mountpoint()), mounts.getOrDefault(v.name(), 0)));
        return new Report(layersSize, imageReclaim, images, cs, vs, buildCache(engine));
    }

    /** The entries of {@code <libRoot>/build-cache} (see {@link BuildCache}), oldest first. */
    public static List<CacheEntry> buildCache(Engine engine) {
        Path dir = new BuildCache(engine.config().libRoot()).dir();
        List<CacheEntry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String key = f.getFileName().toString();
                if (!key.matches("[0-9a-f]{64}") || !Files.isRegularFile(f)) continue;
                try {
                    out.add(new CacheEntry(key, Files.readString(f).trim(), f, Files.size(f), Files.getLastModifiedTime(f).toInstant()));
                } catch (IOException e) {
                    // written or removed meanwhile: not counted
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(java.util.Comparator.comparing(CacheEntry::modified));
        return out;
    }

    /** Bytes of the regular files below dir, not following links, skipping an overlay's merged view. */
    public static long size(Path dir) {
        long[] total = {0};
        if (dir == null || !Files.isDirectory(dir)) return 0;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.getFileName() != null && d.getFileName().toString().equals("merged") && !d.equals(dir)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) { return FileVisitResult.CONTINUE; }
            });
        } catch (IOException e) {
            // a dir removed meanwhile: what was counted stands
        }
        return total[0];
    }
}
