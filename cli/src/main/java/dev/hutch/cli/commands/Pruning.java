package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import dev.hutch.events.Event;
import dev.hutch.image.Image;
import dev.hutch.image.LocalImageStore;
import dev.hutch.image.RemovalReport;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.volume.Volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * docker's prunes, once for {@code hutch system prune}, {@code image prune}, {@code volume prune}
 * and the Docker API's {@code POST /.../prune}: what nothing uses goes, with the per-object
 * events (destroy, delete, untag) and, as dockerd, one {@code prune} event per kind carrying the
 * {@code reclaimed} bytes. {@code match} narrows what may go (the API's label and until filters);
 * what is in use is never a candidate.
 */
public final class Pruning {
    /** What went (ids or names, in docker's order) and the bytes given back. */
    public record Result(List<String> removed, long reclaimed) {}

    /** Images: the references untagged, the image ids and layers deleted, the bytes given back. */
    public record ImageResult(List<String> untagged, List<String> deleted, long reclaimed) {
        public List<String> lines() { return new RemovalReport(untagged, deleted).lines(); }
    }

    private Pruning() {}

    /** Every container that is neither running nor paused, with its anonymous volumes (docker's prune does so too). */
    public static Result containers(Engine engine, Predicate<ContainerState> match) {
        List<String> removed = new ArrayList<>();
        long reclaimed = 0;
        for (ContainerState s : engine.list(true)) {
            if (s.isRunning() || s.status() == ContainerStatus.PAUSED || !match.test(s)) continue;
            long size = DiskUsage.size(engine.config().containerDataDir(s.id()));
            try {
                engine.remove(s.id(), false, true);
            } catch (HutchException e) {
                continue; // started meanwhile: it stays
            }
            removed.add(s.id());
            reclaimed += size;
        }
        pruneEvent(engine, Event.CONTAINER, reclaimed);
        return new Result(removed, reclaimed);
    }

    /** User-defined networks no container is attached to. */
    public static Result networks(Engine engine, Predicate<NetworkConfig> match) {
        Networks networks = new Networks(engine.networking());
        List<String> removed = new ArrayList<>();
        for (NetworkConfig n : networks.list()) {
            if (!n.userDefined() || !networks.users(n).isEmpty() || !match.test(n)) continue;
            try {
                networks.remove(n.name());
            } catch (HutchException e) {
                continue; // joined meanwhile: it stays
            }
            engine.networkEvent("destroy", n.id(), n.name());
            removed.add(n.name());
        }
        pruneEvent(engine, Event.NETWORK, 0);
        return new Result(removed, 0);
    }

    /** Volumes no container mounts: only anonymous ones unless {@code all}. */
    public static Result volumes(Engine engine, boolean all, Predicate<Volume> match) {
        List<String> removed = new ArrayList<>();
        long reclaimed = 0;
        for (Volume v : engine.volumes().list()) {
            if ((!all && !v.anonymous()) || engine.volumeInUse(v.name()) || !match.test(v)) continue;
            long size = DiskUsage.size(v.mountpoint());
            try {
                engine.volumes().remove(v.name(), true, engine::volumeInUse);
            } catch (HutchException e) {
                continue; // mounted meanwhile: it stays
            }
            engine.volumeEvent("destroy", v.name());
            removed.add(v.name());
            reclaimed += size;
        }
        pruneEvent(engine, Event.VOLUME, reclaimed);
        return new Result(removed, reclaimed);
    }

    /** Dangling images (untagged, unused); with {@code all} every image no container was made from. */
    public static ImageResult images(Engine engine, boolean all, Predicate<Image> match) {
        LocalImageStore store = engine.images();
        List<Image> before = store.list();
        long bytesBefore = layerBytes(before);
        Set<String> skipped = new HashSet<>();
        for (Image i : before) if (!match.test(i)) skipped.add(i.id());
        List<String> dangling = before.stream().filter(i -> i.repoTags().isEmpty() && !skipped.contains(i.id())
                && !engine.imageInUse(i.id())).map(Image::id).toList();
        RemovalReport report = store.pruneDangling(id -> skipped.contains(id) || engine.imageInUse(id));
        List<String> untagged = new ArrayList<>(report.untagged());
        List<String> deleted = new ArrayList<>(report.deleted());
        for (String id : dangling) if (deleted.contains(id)) engine.imageEvent("delete", id, id);
        if (all) {
            for (Image image : store.list()) {
                if (skipped.contains(image.id()) || engine.imageInUse(image.id())) continue;
                try {
                    RemovalReport r = engine.removeImage(image.id(), true); // records untag and delete
                    untagged.addAll(r.untagged());
                    deleted.addAll(r.deleted());
                } catch (HutchException e) {
                    // used meanwhile: it stays
                }
            }
        }
        long reclaimed = Math.max(0, bytesBefore - layerBytes(store.list()));
        pruneEvent(engine, Event.IMAGE, reclaimed);
        return new ImageResult(untagged, deleted, reclaimed);
    }

    /**
     * The build cache's entries: hints from a step's key to the image it made (the bytes are the
     * images', which the image prunes give back). Nothing builds while they go: an entry is only
     * ever a hint, so a build racing this finds a miss and runs its step again.
     */
    public static Result buildCache(Engine engine, Predicate<DiskUsage.CacheEntry> match) {
        List<String> removed = new ArrayList<>();
        long reclaimed = 0;
        for (DiskUsage.CacheEntry e : DiskUsage.buildCache(engine)) {
            if (!match.test(e)) continue;
            try {
                java.nio.file.Files.deleteIfExists(e.file());
            } catch (java.io.IOException ex) {
                continue;
            }
            removed.add(e.key());
            reclaimed += e.size();
        }
        return new Result(removed, reclaimed);
    }

    private static long layerBytes(List<Image> images) {
        Set<Path> layers = new HashSet<>();
        for (Image i : images) layers.addAll(i.layerDirs());
        long total = 0;
        for (Path l : layers) total += DiskUsage.size(l);
        return total;
    }

    /** dockerd's {@code prune} event: no actor id, the bytes given back as {@code reclaimed}. */
    private static void pruneEvent(Engine engine, String type, long reclaimed) {
        engine.events().record(type, "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
    }
}
