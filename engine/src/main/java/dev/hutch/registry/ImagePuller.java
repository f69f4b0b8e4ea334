package dev.hutch.registry;

import dev.hutch.HutchException;
import dev.hutch.archive.SafePaths;
import dev.hutch.image.Image;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.Layer;
import dev.hutch.image.LocalImageStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code hutch pull}: manifest (through an index to the wanted platform), then the config, then the
 * layers not already stored by diff id, three at a time. Each layer blob streams straight into the
 * layer store's unpacker (a temp dir under layers/tmp) while its sha256 is computed
 * ({@link VerifyingBlobStream}); the store publishes the layer only after the digest matched, and
 * its diff id must match the config's. The image's config is stored last, so the image appears
 * only whole; on any failure the layers this pull added are dropped and its temp dir removed.
 */
public final class ImagePuller {
    public static final int PARALLEL_LAYERS = 3;
    private final LocalImageStore store;
    private final RegistryConfig config;
    private final BlobOrigins origins;

    public ImagePuller(LocalImageStore store, RegistryConfig config) {
        this.store = store;
        this.config = config;
        this.origins = new BlobOrigins(store.distributionDir());
    }

    public PullResult pull(Reference ref, Platform platform, PullListener listener) {
        RegistryClient client = new RegistryClient(config, ref);
        BlobFetcher blobs = new BlobFetcher(client, ref.repository());
        Path tmp = store.layers().newTempDir("hutch-pull-");
        List<String> added = Collections.synchronizedList(new ArrayList<>());
        boolean done = false;
        try {
            ResolvedManifest m = resolve(client, ref, platform);
            byte[] configBytes = blobs.fetchSmall(m.manifest().config(), tmp.resolve("config"));
            List<String> diffIds = ImageDocument.parse(configBytes).diffIds();
            List<Descriptor> layers = m.manifest().layers();
            if (diffIds.size() != layers.size())
                throw new RegistryException(RegistryException.Kind.BAD_MANIFEST, "the image's config lists " + diffIds.size()
                        + " layers but its manifest " + layers.size());
            layers.forEach(ManifestParser::checkLayerType);
            String id = "sha256:" + dev.hutch.util.Sha256.hex(configBytes);
            // docker's "up to date": the name already meant this image (a new tag for stored content is "newer")
            boolean upToDate = store.findId(id) != null && diffIds.stream().allMatch(store.layers()::exists)
                    && (ref.localTag() == null || id.equals(store.findId(ref.localTag())));
            int fetched = upToDate ? 0 : fetchLayers(client, ref.repository(), layers, diffIds, listener, added);
            Image image = store.storeConfig(configBytes, ref.localTag() == null ? List.of() : List.of(ref.localTag()));
            done = true;
            return new PullResult(image, m.digest(), !upToDate, fetched);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("the pull of " + ref.full() + " was interrupted; nothing of it was kept");
        } finally {
            if (!done) store.dropUnusedLayers(new ArrayList<>(added));
            try {
                SafePaths.deleteRecursively(tmp);
            } catch (IOException ignored) {
                // a leftover hutch-pull-* dir under layers/tmp holds no layer and is harmless
            }
        }
    }

    private record ResolvedManifest(ManifestParser.ImageManifest manifest, String digest) {}

    private ResolvedManifest resolve(RegistryClient client, Reference ref, Platform platform) throws InterruptedException {
        RegistryClient.Manifest top = client.manifest(ref.repository(), ref.manifestReference());
        String topDigest = "sha256:" + dev.hutch.util.Sha256.hex(top.body());
        if (ref.digest() != null && !ref.digest().equals(topDigest))
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: the manifest asked for as " + ref.digest()
                    + " arrived as " + topDigest + "; nothing was stored");
        Object parsed = ManifestParser.parse(top.body(), top.contentType());
        if (parsed instanceof ManifestParser.ImageManifest m) return new ResolvedManifest(m, topDigest);
        ManifestParser.Index index = (ManifestParser.Index) parsed;
        Descriptor chosen = index.select(platform);
        if (chosen == null)
            throw new RegistryException(RegistryException.Kind.NO_PLATFORM, "no matching manifest for " + platform + " in the manifest list entries of "
                    + ref.full() + " (it has: " + String.join(", ", index.platforms()) + "; choose one with --platform)");
        RegistryClient.Manifest inner = client.manifest(ref.repository(), chosen.digest());
        String innerDigest = "sha256:" + dev.hutch.util.Sha256.hex(inner.body());
        if (!innerDigest.equals(chosen.digest()))
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: the " + platform + " manifest "
                    + chosen.digest() + " arrived as " + innerDigest + "; nothing was stored");
        if (!(ManifestParser.parse(inner.body(), inner.contentType()) instanceof ManifestParser.ImageManifest m))
            throw new RegistryException(RegistryException.Kind.BAD_MANIFEST, "the index of " + ref.full() + " points at another index for " + platform);
        // docker prints the digest of what was asked for: the index's, for a multi-platform tag
        return new ResolvedManifest(m, topDigest);
    }

    private int fetchLayers(RegistryClient client, String repository, List<Descriptor> layers, List<String> diffIds,
                            PullListener listener, List<String> added) throws InterruptedException {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            boolean present = store.layers().exists(diffIds.get(i));
            listener.layer(layers.get(i).shortId(), present ? "Already exists" : "Pulling fs layer");
            String diffId = diffIds.get(i);
            if (!present && missing.stream().noneMatch(j -> diffIds.get(j).equals(diffId))) missing.add(i);
        }
        if (missing.isEmpty()) return 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LAYERS, missing.size()), r -> {
            Thread t = new Thread(r, "hutch-pull");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : missing) futures.add(pool.submit(() -> {
                fetchLayer(client, repository, layers.get(i), diffIds.get(i), listener, added);
                return null;
            }));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new HutchException("a layer download failed: " + e.getCause(), e.getCause());
                }
            }
            return missing.size();
        } finally {
            pool.shutdownNow();
            // the failed pull's cleanup must not race a layer still being unpacked
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    /** Streams the blob into the layer store's unpacker; the store publishes it only after {@link VerifyingBlobStream#verifyToEnd}. */
    private void fetchLayer(RegistryClient client, String repository, Descriptor layer, String diffId, PullListener listener,
                            List<String> added) throws InterruptedException {
        String id = layer.shortId();
        listener.layer(id, "Downloading");
        Layer stored;
        try (VerifyingBlobStream in = new VerifyingBlobStream(client, repository, layer, n -> listener.bytes(id, n, layer.size()))) {
            try {
                stored = store.layers().importTar(in, in::verifyToEnd);
            } catch (RegistryException e) {
                throw e;
            } catch (RuntimeException unpackFailed) {
                // a damaged blob usually breaks gzip or tar before its end: say what is wrong, the digest
                in.verifyToEnd();
                throw unpackFailed;
            }
        }
        added.add(stored.digest());
        listener.layer(id, "Download complete");
        if (!stored.digest().equals(diffId))
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: layer " + layer.digest()
                    + " unpacks to " + stored.digest() + " but the image config says " + diffId + "; the image was not stored");
        // a later push to this registry can mount the blob from here rather than upload it
        origins.record(diffId, new BlobOrigins.Origin(layer.digest(), layer.size(), layer.mediaType(), client.registry(), repository));
        listener.layer(id, "Pull complete");
    }
}
