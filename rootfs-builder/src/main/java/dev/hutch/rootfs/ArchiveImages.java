package dev.hutch.rootfs;

import dev.hutch.HutchException;
import dev.hutch.archive.LayerTarWriter;
import dev.hutch.archive.SafePaths;
import dev.hutch.image.Image;
import dev.hutch.image.ImageLoader;
import dev.hutch.image.LocalImageStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images from an OCI image layout (a directory or a tar of one) or a docker-archive tar
 * ({@code docker save}, {@code podman save}, {@code hutch save}). The store's {@link ImageLoader}
 * does the work; this is the builders' named entry point, and turns a layout directory into the tar
 * the loader reads.
 */
public final class ArchiveImages {
    private final LocalImageStore store;

    public ArchiveImages(LocalImageStore store) { this.store = store; }

    /** @param tags extra names for the (single) loaded image; the archive's own names are kept */
    public List<Image> load(Path archive, List<String> tags) {
        if (!Files.exists(archive)) throw new HutchException("cannot load images: " + archive + " does not exist");
        List<Image> images = Files.isDirectory(archive) ? loadDirectory(archive) : loadFile(archive);
        if (!tags.isEmpty()) {
            if (images.size() != 1)
                throw new HutchException("cannot tag: " + archive + " holds " + images.size() + " images (tag them one by one with hutch tag)");
            tags.forEach(t -> store.tag(images.get(0).id(), t));
            return List.of(store.resolve(images.get(0).id()));
        }
        return images;
    }

    private List<Image> loadFile(Path tar) {
        try (InputStream in = Files.newInputStream(tar)) {
            return new ImageLoader(store).load(in);
        } catch (IOException e) {
            throw new HutchException("cannot read " + tar + ": " + e.getMessage(), e);
        }
    }

    private List<Image> loadDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve("index.json")) && !Files.isRegularFile(dir.resolve("manifest.json")))
            throw new HutchException(dir + " is not an OCI image layout (no index.json) nor an unpacked docker archive (no manifest.json)");
        Path stage = store.layers().newTempDir("hutch-archive-");
        try {
            Path tar = stage.resolve("archive.tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                LayerTarWriter.write(dir, out);
            }
            return loadFile(tar);
        } catch (IOException e) {
            throw new HutchException("cannot read the image layout " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                SafePaths.deleteRecursively(stage);
            } catch (IOException ignored) {
                // a hutch-archive-* leftover under layers/tmp is harmless
            }
        }
    }
}
