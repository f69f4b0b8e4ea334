package dev.hutch.rootfs.recipe;

import dev.hutch.HutchException;
import dev.hutch.archive.SafePaths;
import dev.hutch.engine.Engine;
import dev.hutch.image.HistoryEntry;
import dev.hutch.image.Image;
import dev.hutch.image.ImageConfig;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.Layer;
import dev.hutch.image.LocalImageStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an image from a recipe the way {@code docker build} runs a Dockerfile: each step makes an
 * image on top of the previous one (run and copy add a layer, the others change only the config),
 * and a step whose cache key ({@link CacheKey}) maps to an image still in the store is reused
 * without running anything. Intermediate images stay in the store untagged, as docker's do, since
 * they are what the cache points at; the last one is tagged.
 *
 * <p>Everything that can be checked without building (the recipe's shape, every copy source inside
 * the context) is checked first, so a bad recipe changes nothing.
 */
public final class RecipeBuilder {
    /** @param tags names for the final image; noCache: run every step even if its result is cached */
    public record Options(List<String> tags, boolean noCache) {
        public Options {
            tags = List.copyOf(tags == null ? List.of() : tags);
        }
    }

    private final Engine engine;
    private final LocalImageStore store;
    private final BuildCache cache;
    private final Consumer<String> progress;

    /** @param progress receives docker-build-like lines: each step, CACHED or RUN with its time, the run output */
    public RecipeBuilder(Engine engine, Consumer<String> progress) {
        this.engine = engine;
        this.store = engine.images();
        this.cache = new BuildCache(engine.config().libRoot());
        this.progress = progress;
    }

    /**
     * Checks a recipe without building it: it starts with one {@code from} and has no other, and
     * every copy source is inside the context (its content hashed for the cache key).
     *
     * @return the copy steps' scans by 1-based step index
     */
    public static Map<Integer, ContextCopy> plan(List<Step> steps, Path context) {
        if (steps.isEmpty()) throw new HutchException("the recipe has no steps (start it with: from 'busybox')");
        if (steps.get(0).kind() != Step.Kind.FROM)
            throw new HutchException(steps.get(0).where(1) + ": a recipe starts with from (e.g. from 'busybox'), not " + steps.get(0).kind().word());
        Map<Integer, ContextCopy> copies = new HashMap<>();
        for (int i = 2; i <= steps.size(); i++) {
            Step s = steps.get(i - 1);
            if (s.kind() == Step.Kind.FROM)
                throw new HutchException(s.where(i) + ": a second from: one recipe builds one image from one base (multi-stage builds are not supported)");
            if (s.kind() == Step.Kind.COPY) copies.put(i, ContextCopy.scan(s, i, context));
        }
        return copies;
    }

    public BuildReport build(List<Step> steps, Path context, Options options) {
        Map<Integer, ContextCopy> copies = plan(steps, context);
        options.tags().forEach(dev.hutch.image.ImageReference::normalize); // a bad tag fails before the build, not after
        int total = steps.size();
        List<BuildReport.StepReport> reports = new ArrayList<>();
        RunStep runner = new RunStep(engine, progress);
        String current = null;
        boolean cmdSet = false;
        int containers = 0;
        for (int i = 1; i <= total; i++) {
            Step step = steps.get(i - 1);
            progress.accept("Step " + i + "/" + total + " : " + step.describe());
            long t0 = System.nanoTime();
            BuildReport.Status status;
            if (step.kind() == Step.Kind.FROM) {
                boolean had = store.find(step.args().get(0)) != null;
                current = engine.image(step.args().get(0)).id();
                status = had ? BuildReport.Status.CACHED : BuildReport.Status.RUN;
            } else {
                ContextCopy copy = copies.get(i);
                String key = CacheKey.of(current, step, copy == null ? null : copy.contentHash());
                String hit = options.noCache() ? null : cache.get(key);
                if (hit != null && store.find(hit) != null) {
                    current = hit;
                    status = BuildReport.Status.CACHED;
                } else {
                    current = switch (step.kind()) {
                        case RUN -> runner.run(current, step, i, total);
                        case COPY -> copyLayer(current, step, copy);
                        default -> configOnly(current, step, cmdSet);
                    };
                    if (step.kind() == Step.Kind.RUN) containers++;
                    cache.put(key, current);
                    status = BuildReport.Status.RUN;
                }
            }
            if (step.kind() == Step.Kind.CMD) cmdSet = true;
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            progress.accept(" ---> " + status + " " + shortId(current) + " " + seconds(took));
            reports.add(new BuildReport.StepReport(i, step, status, took, current));
        }
        for (String tag : options.tags()) store.tag(current, tag);
        progress.accept("Successfully built " + shortId(current));
        for (String tag : options.tags()) progress.accept("Successfully tagged " + dev.hutch.image.ImageReference.normalize(tag));
        return new BuildReport(current, reports, containers);
    }

    private String configOnly(String parentId, Step step, boolean cmdSet) {
        ImageDocument doc = store.document(parentId);
        ImageConfig config = ConfigSteps.apply(doc.config(), step, cmdSet);
        return withStep(doc, doc.diffIds(), config, step, true);
    }

    private String copyLayer(String parentId, Step step, ContextCopy copy) {
        ImageDocument doc = store.document(parentId);
        Image parent = store.resolve(parentId);
        Path stage = store.layers().newTempDir("hutch-copy-");
        try {
            Path tar = stage.resolve("layer.tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                copy.layer(doc.config().workdir(), rel -> dirMode(parent, rel)).write(out);
            }
            Layer layer = store.importLayer(tar);
            List<String> diffIds = new ArrayList<>(doc.diffIds());
            diffIds.add(layer.digest());
            return withStep(doc, diffIds, doc.config(), step, false);
        } catch (IOException e) {
            throw new HutchException("cannot make the layer of " + step.describe() + ": " + e.getMessage(), e);
        } finally {
            try {
                SafePaths.deleteRecursively(stage);
            } catch (IOException ignored) {
                // a hutch-copy-* leftover under layers/tmp is harmless
            }
        }
    }

    private String withStep(ImageDocument doc, List<String> diffIds, ImageConfig config, Step step, boolean emptyLayer) {
        String now = Instant.now().toString();
        List<HistoryEntry> history = new ArrayList<>(doc.history());
        history.add(new HistoryEntry(now, step.describe() + " # hutch build", "", emptyLayer));
        return store.createImage(doc.withLayersAndConfig(diffIds, config, history, now, doc.author()), List.of()).id();
    }

    /** The mode of directory {@code rel} in the image's merged view, or -1 if it is not a directory there. */
    static int dirMode(Image image, String rel) {
        List<Path> dirs = image.layerDirs();
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path p = dirs.get(i).resolve(rel);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return -1; // a file, a link or a whiteout hides it
            try {
                return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    private static String shortId(String id) { return id.startsWith("sha256:") ? id.substring(7, 19) : id; }

    private static String seconds(Duration d) { return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0); }
}
