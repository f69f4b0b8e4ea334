package dev.hutch.registry;

import dev.hutch.HutchException;
import dev.hutch.image.Image;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.LocalImageStore;
import dev.hutch.json.Json;
import dev.hutch.util.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code hutch push}: a stored image to a registry as docker sends it, a docker schema2 manifest
 * with gzip layers. Each layer, three at a time: a blob the registry is known to have for its diff
 * id ({@link BlobOrigins}) is asked for with {@code HEAD} and skipped when there; one known in
 * another repository of the same registry is mounted from there; otherwise the layer is compressed
 * as it is sent ({@link CompressedLayer}), in one {@code PUT} when it fits in a chunk (after a
 * {@code HEAD} by the digest just computed), otherwise straight into one streamed {@code PATCH}
 * ({@link StreamedPatch}), or in Content-Range chunks when the user asked for a chunk size. Then the config blob, then the
 * manifest under the tag. The registry shows the tag only once the manifest is in, so a push that
 * fails leaves at most unreferenced blobs there, and nothing changes in the local store.
 */
public final class ImagePusher {
    public static final int PARALLEL_LAYERS = 3;
    /**
     * A chunk of a chunked upload, and the largest blob sent in one PUT. Each layer in flight holds
     * one such buffer: at 16 MiB the three buffers made the serial collector's young pauses 0.5 to
     * 1.2 s per push of the bench image (they are copied while live), at 4 MiB 0.3 to 0.5 s, at
     * 1 MiB 0.16 s; 4 MiB keeps a 40 MB layer to ten PATCHes, which matters on a far registry.
     */
    public static final int DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
    static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
    static final String LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private final LocalImageStore store;
    private final RegistryConfig config;
    private final BlobOrigins origins;
    private final int chunkBytes;
    private final boolean streamLargeLayers;

    /**
     * {@code streamLargeLayers}: a layer larger than {@code chunkBytes} goes up in one streamed
     * PATCH (docker's and podman's way, and the fastest); false sends it in {@code PATCH}es of
     * {@code chunkBytes} with a Content-Range each, for a registry behind a proxy that caps the
     * size of a request's body.
     */
    public ImagePusher(LocalImageStore store, RegistryConfig config, int chunkBytes, boolean streamLargeLayers) {
        this.store = store;
        this.config = config;
        this.origins = new BlobOrigins(store.distributionDir());
        this.chunkBytes = chunkBytes;
        this.streamLargeLayers = streamLargeLayers;
    }

    /** The tag pushed, and the manifest's digest and size: docker's last line. */
    public record PushResult(String tag, String digest, long size) {}

    /** A layer as the manifest lists it, and the diff id of what it holds. */
    private record Pushed(String digest, long size, String diffId) {}

    /** Finds the image by the local name of {@code ref}; null when there is none (the caller says docker's line). */
    public Image find(Reference ref) {
        if (ref.digest() != null)
            throw new RegistryException(RegistryException.Kind.UNSUPPORTED, "cannot push a digest reference (" + ref.full() + "): push NAME[:TAG]");
        return store.find(ref.localTag());
    }

    public PushResult push(Reference ref, Image image, PullListener listener) {
        RegistryClient client = new RegistryClient(config, ref);
        BlobUploader uploader = new BlobUploader(client, ref.repository());
        List<String> diffIds = image.layerDigests();
        List<String> unique = diffIds.stream().distinct().toList();
        for (int i = unique.size() - 1; i >= 0; i--) listener.layer(shortId(unique.get(i)), "Preparing"); // docker lists the top first
        try {
            Map<String, Pushed> pushed = pushLayers(client, uploader, ref.repository(), unique, listener);
            List<Pushed> layers = diffIds.stream().map(pushed::get).toList();
            byte[] configBytes = configFor(image, layers);
            String configDigest = "sha256:" + Sha256.hex(configBytes);
            pushConfig(client, uploader, ref.repository(), configDigest, configBytes);
            byte[] manifest = manifest(configDigest, configBytes.length, layers);
            putManifest(client, ref, manifest);
            return new PushResult(ref.tag(), "sha256:" + Sha256.hex(manifest), manifest.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("the push of " + ref.full() + " was interrupted; the registry did not get its tag");
        }
    }

    private Map<String, Pushed> pushLayers(RegistryClient client, BlobUploader uploader, String repository, List<String> diffIds,
                                           PullListener listener) throws InterruptedException {
        if (diffIds.size() > PARALLEL_LAYERS) for (String d : diffIds) listener.layer(shortId(d), "Waiting");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_LAYERS, diffIds.size())), r -> {
            Thread t = new Thread(r, "hutch-push");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<Pushed>> futures = new LinkedHashMap<>();
            for (String d : diffIds) futures.put(d, pool.submit(() -> pushLayer(client, uploader, repository, d, listener)));
            Map<String, Pushed> out = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Pushed>> f : futures.entrySet()) {
                try {
                    out.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new HutchException("a layer upload failed: " + e.getCause(), e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** HEAD of a known blob, else a mount from another repository, else an upload. */
    private Pushed pushLayer(RegistryClient client, BlobUploader uploader, String repository, String diffId, PullListener listener)
            throws InterruptedException {
        String id = shortId(diffId);
        List<BlobOrigins.Origin> known = origins.in(diffId, client.registry()).stream().filter(BlobOrigins.Origin::gzip).toList();
        for (BlobOrigins.Origin o : known) {
            if (uploader.exists(o.digest())) {
                listener.layer(id, "Layer already exists");
                return remember(client, repository, diffId, o.digest(), o.size());
            }
        }
        BlobUploader.Session declined = null;
        for (BlobOrigins.Origin o : known) {
            if (o.repository().equals(repository)) continue;
            BlobUploader.Session s = uploader.mount(o.digest(), o.repository());
            if (s == null) {
                listener.layer(id, "Mounted from " + o.repository());
                return remember(client, repository, diffId, o.digest(), o.size());
            }
            declined = s; // the registry opened an upload instead: the layer goes there
            break;
        }
        return upload(client, uploader, repository, diffId, declined, listener);
    }

    private Pushed upload(RegistryClient client, BlobUploader uploader, String repository, String diffId, BlobUploader.Session session,
                          PullListener listener) throws InterruptedException {
        String id = shortId(diffId);
        long total = store.layers().get(diffId).size();
        listener.layer(id, "Pushing");
        if (streamLargeLayers && total > chunkBytes) return uploadStreamed(client, uploader, repository, diffId, session, total, listener);
        ChunkSink sink = new ChunkSink(chunkBytes, session != null ? () -> session : uploader::start);
        CompressedLayer.Result blob;
        boolean done = false;
        try {
            try {
                blob = CompressedLayer.write(store.layers(), diffId, sink, n -> listener.bytes(id, n, n <= total ? total : -1));
            } catch (IOException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new HutchException("cannot read layer " + diffId + " from the store: " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new HutchException("cannot read layer " + diffId + " from the store: " + e.getMessage(), e);
            }
            if (sink.streamed()) {
                sink.finish(blob.digest());
            } else if (session == null && uploader.exists(blob.digest())) {
                listener.layer(id, "Layer already exists");
                done = true;
                return remember(client, repository, blob.diffId(), blob.digest(), blob.size());
            } else {
                uploader.uploadWhole(session, blob.digest(), sink.buffer(), sink.filled());
            }
            done = true;
        } finally {
            if (!done) {
                if (sink.session() != null) sink.session().cancel();
                else if (session != null) session.cancel();
            }
        }
        listener.layer(id, "Pushed");
        return remember(client, repository, blob.diffId(), blob.digest(), blob.size());
    }

    /**
     * A layer larger than a chunk: compressed straight into one streamed PATCH, so compression and
     * the registry's writing overlap, then closed with its digest. A small layer keeps the path
     * above, whose HEAD by digest may find it there already.
     */
    private Pushed uploadStreamed(RegistryClient client, BlobUploader uploader, String repository, String diffId,
                                  BlobUploader.Session declined, long total, PullListener listener) throws InterruptedException {
        String id = shortId(diffId);
        BlobUploader.Session session = declined != null ? declined : uploader.start();
        boolean done = false;
        try {
            CompressedLayer.Result[] blob = new CompressedLayer.Result[1];
            try {
                session.stream(out -> blob[0] = CompressedLayer.write(store.layers(), diffId, out,
                        n -> listener.bytes(id, n, n <= total ? total : -1)));
            } catch (UncheckedIOException e) {
                throw new HutchException("cannot read layer " + diffId + " from the store: " + e.getCause().getMessage(), e);
            }
            session.finish(blob[0].digest(), new byte[0], 0);
            done = true;
            listener.layer(id, "Pushed");
            return remember(client, repository, blob[0].diffId(), blob[0].digest(), blob[0].size());
        } finally {
            if (!done) session.cancel();
        }
    }

    /** The config blob: there already, or mounted from a repository it was pushed to before, or uploaded whole. */
    private void pushConfig(RegistryClient client, BlobUploader uploader, String repository, String digest, byte[] bytes) throws InterruptedException {
        if (!uploader.exists(digest)) {
            BlobUploader.Session declined = null;
            boolean mounted = false;
            for (BlobOrigins.Origin o : origins.in(digest, client.registry())) {
                if (o.repository().equals(repository)) continue;
                declined = uploader.mount(digest, o.repository());
                mounted = declined == null;
                break;
            }
            if (!mounted) uploader.uploadWhole(declined, digest, bytes, bytes.length);
        }
        origins.record(digest, new BlobOrigins.Origin(digest, bytes.length, CONFIG_TYPE, client.registry(), repository));
    }

    /** The registry has the blob in this repository now: a later push (here or to a sibling repository) need not send it. */
    private Pushed remember(RegistryClient client, String repository, String diffId, String digest, long size) {
        origins.record(diffId, new BlobOrigins.Origin(digest, size, LAYER_TYPE, client.registry(), repository));
        return new Pushed(digest, size, diffId);
    }

    /**
     * The image's config as stored, unless a layer's tar came out other than its diff id (a layer
     * loaded from elsewhere and written again by hutch): then the config lists what was sent, as
     * {@code save} does, rather than lie (the pushed image gets another id).
     */
    private byte[] configFor(Image image, List<Pushed> layers) {
        byte[] original = store.configBytes(image.id());
        List<String> sent = layers.stream().map(Pushed::diffId).toList();
        if (sent.equals(image.layerDigests())) return original;
        ImageDocument doc = ImageDocument.parse(original);
        return doc.withLayersAndConfig(sent, doc.config(), doc.history(), doc.created(), doc.author()).toBytes();
    }

    /** Docker's schema2 manifest: what {@code docker push} sends and every registry and client reads. */
    static byte[] manifest(String configDigest, long configSize, List<Pushed> layers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", ManifestParser.DOCKER_MANIFEST);
        m.put("config", descriptor(CONFIG_TYPE, configDigest, configSize));
        List<Object> ls = new ArrayList<>();
        for (Pushed p : layers) ls.add(descriptor(LAYER_TYPE, p.digest(), p.size()));
        m.put("layers", ls);
        return Json.pretty(m).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> descriptor(String type, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", type);
        d.put("size", size);
        d.put("digest", digest);
        return d;
    }

    private void putManifest(RegistryClient client, Reference ref, byte[] manifest) throws InterruptedException {
        HttpResponse<byte[]> r = client.send("/v2/" + ref.repository() + "/manifests/" + ref.tag(), RegistryClient.pushScope(ref.repository()),
                b -> b.PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).header("Content-Type", ManifestParser.DOCKER_MANIFEST),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 201 && r.statusCode() != 200)
            throw new BlobUploader(client, ref.repository()).failed(r, "the manifest for tag " + ref.tag());
    }

    /** docker push names a layer by 12 hex digits of its diff id. */
    static String shortId(String diffId) { return diffId.substring(7, 19); }
}
