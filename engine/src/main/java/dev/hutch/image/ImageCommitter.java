package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.MergedTarWriter;
import dev.hutch.archive.SafePaths;
import dev.hutch.layer.CopyDiff;
import dev.hutch.layer.LayerFlattener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code commit}, {@code export} and {@code import}: a container's writable layer becomes a new
 * image layer on top of its image's; a container's merged view becomes one flat tar; a flat tar
 * becomes a one-layer image. None of them mounts anything: the layers are read as directories.
 */
public final class ImageCommitter {
    /**
     * The files the runtime bind-mounts into every container. What the upper dir holds at these
     * paths is only the empty mount point the helper made, never content, so, as with docker, a
     * commit leaves them out.
     */
    public static final java.util.Set<String> RUNTIME_MOUNT_POINTS = java.util.Set.of("etc/hosts", "etc/hostname", "etc/resolv.conf");


    /**
     * A container's file system as its layer driver laid it out (the state's rootfs record).
     *
     * @param driver              overlay, aufs or copy
     * @param upperDir            the container's writable layer (for copy: its whole rootfs)
     * @param lowerDirsBottomFirst the image's layers as the driver used them (aufs: their twins)
     */
    public record ContainerLayers(String driver, Path upperDir, List<Path> lowerDirsBottomFirst,
                                  dev.hutch.userns.IdMapping idMapping) {
        public ContainerLayers {
            lowerDirsBottomFirst = List.copyOf(lowerDirsBottomFirst);
        }

        /** A container without a user namespace: its upper dir holds the ids seen inside. */
        public ContainerLayers(String driver, Path upperDir, List<Path> lowerDirsBottomFirst) {
            this(driver, upperDir, lowerDirsBottomFirst, null);
        }

        /**
         * Host id → id inside: a mapped container's files are owned by its range on the host. An
         * id outside the range (overlay's own whiteouts, made as the host's root) stays as it is.
         */
        java.util.function.LongUnaryOperator owners() {
            if (idMapping == null) return null;
            dev.hutch.userns.IdMapping m = idMapping;
            return id -> { long inside = m.toContainer(id); return inside >= 0 ? inside : id; };
        }
    }

    /**
     * @param changes   docker's {@code --change} instructions, e.g. {@code CMD ["sh"]}
     * @param createdBy the history line, e.g. the container's command
     */
    public record CommitOptions(List<String> changes, String author, String message, String createdBy, List<String> tags) {
        public CommitOptions {
            changes = List.copyOf(changes == null ? List.of() : changes);
            tags = List.copyOf(tags == null ? List.of() : tags);
        }
    }

    private final LocalImageStore store;

    public ImageCommitter(LocalImageStore store) { this.store = store; }

    /** {@code hutch commit}: a new image = the base image's layers + the container's changes. */
    public Image commit(String baseImageId, ContainerLayers container, CommitOptions options) {
        ImageDocument base = store.document(baseImageId);
        // bad input is refused before the layer is stored, so it leaves no layer without an image
        ImageConfig config = ConfigChanges.apply(base.config(), options.changes());
        options.tags().forEach(ImageReference::normalize);
        Layer layer = "copy".equals(container.driver()) ? diffOfCopy(container)
                : store.layers().importDirectory(container.upperDir(), RUNTIME_MOUNT_POINTS, container.owners());
        List<String> diffIds = new ArrayList<>(base.diffIds());
        diffIds.add(layer.digest());
        String now = Instant.now().toString();
        List<HistoryEntry> history = new ArrayList<>(base.history());
        history.add(new HistoryEntry(now, options.createdBy() == null ? "" : options.createdBy(), options.message(), false));
        String author = options.author() == null ? "" : options.author();
        return store.createImage(base.withLayersAndConfig(diffIds, config, history, now, author), options.tags());
    }

    /** {@code hutch export}: the container's file system as one tar, whiteouts applied. */
    public void export(ContainerLayers container, OutputStream out) {
        List<Path> topFirst = new ArrayList<>();
        if (!"copy".equals(container.driver())) {
            topFirst.addAll(container.lowerDirsBottomFirst());
            java.util.Collections.reverse(topFirst);
        }
        topFirst.add(0, container.upperDir());
        try {
            MergedTarWriter.write(topFirst, "aufs".equals(container.driver()), out, container.owners());
        } catch (IOException e) {
            throw new HutchException("cannot export " + container.upperDir() + ": " + e.getMessage(), e);
        }
    }

    /** {@code hutch import}: a flat tar (plain or gzip) as a one-layer image. */
    public Image importTarball(InputStream tar, List<String> changes, String message, List<String> tags) {
        ImageConfig config = ConfigChanges.apply(new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of(), null, null, List.of(), null), changes);
        tags.forEach(ImageReference::normalize); // before the layer is stored, as in commit
        Layer layer = store.importLayer(tar);
        String now = Instant.now().toString();
        ImageDocument doc = new ImageDocument(ImageDocument.hostArchitecture(), "linux", now, "", config, List.of(layer.digest()),
                List.of(new HistoryEntry(now, "hutch import", message, false)));
        return store.createImage(doc, tags);
    }

    private Layer diffOfCopy(ContainerLayers container) {
        Path work = container.upperDir().resolveSibling(".hutch-commit-" + UUID.randomUUID());
        try {
            Path base = work.resolve("base"), diff = work.resolve("diff");
            Files.createDirectories(base);
            Files.createDirectories(diff);
            for (Path layer : container.lowerDirsBottomFirst()) LayerFlattener.apply(layer, base);
            // a mapped container's copy holds host ids: compare it with a base in the same ids, so
            // only real changes differ, and write the layer with the ids seen inside
            if (container.idMapping() != null) dev.hutch.userns.OwnerShift.intoRange(base, container.idMapping());
            CopyDiff.write(base, container.upperDir(), diff);
            return store.layers().importDirectory(diff, RUNTIME_MOUNT_POINTS, container.owners());
        } catch (IOException e) {
            throw new HutchException("cannot compute the changes of " + container.upperDir() + ": " + e.getMessage(), e);
        } finally {
            try {
                SafePaths.deleteRecursively(work);
            } catch (IOException ignored) {
                // named .hutch-commit-*, beside the container's rootfs: removed with the container
            }
        }
    }
}
