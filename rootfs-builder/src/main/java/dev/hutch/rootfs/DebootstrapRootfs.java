package dev.hutch.rootfs;

import dev.hutch.HutchException;
import dev.hutch.archive.SafePaths;
import dev.hutch.image.HistoryEntry;
import dev.hutch.image.Image;
import dev.hutch.image.ImageConfig;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.Layer;
import dev.hutch.image.LocalImageStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Debian image made with {@code debootstrap --variant=minbase SUITE DIR MIRROR} (about 40 MB of
 * packages from the mirror), into a temp dir under the lib root, imported as one layer. Needs the
 * {@code debootstrap} package and root.
 */
public final class DebootstrapRootfs {
    public static final String DEFAULT_SUITE = "bookworm";
    public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    static final Path DEBOOTSTRAP = Path.of("/usr/sbin/debootstrap");

    private final LocalImageStore store;
    private final Path debootstrap;

    public DebootstrapRootfs(LocalImageStore store) { this(store, DEBOOTSTRAP); }

    DebootstrapRootfs(LocalImageStore store, Path debootstrap) {
        this.store = store;
        this.debootstrap = debootstrap;
    }

    /** @param progress debootstrap's output, line by line */
    public Image build(String suite, String mirror, List<String> tags, Consumer<String> progress) {
        if (!Files.isExecutable(debootstrap))
            throw new HutchException("cannot build a Debian image: " + debootstrap + " is missing (install it with: apt-get install debootstrap)");
        if (suite == null || !suite.matches("[a-z][a-z0-9-]*"))
            throw new HutchException("debootstrap: \"" + suite + "\" is not a Debian suite name (try bookworm, trixie, stable)");
        Path stage = store.layers().newTempDir("hutch-debootstrap-");
        Path rootfs = stage.resolve("rootfs");
        try {
            run(List.of(debootstrap.toString(), "--variant=minbase", suite, rootfs.toString(), mirror), progress);
            tidy(rootfs);
            Layer layer = store.importLayer(rootfs);
            String now = Instant.now().toString();
            ImageConfig config = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("bash"), null, null, List.of(), null);
            ImageDocument doc = new ImageDocument(ImageDocument.hostArchitecture(), "linux", now, "", config, List.of(layer.digest()),
                    List.of(new HistoryEntry(now, "hutch debootstrap --variant=minbase " + suite + " " + mirror, "", false),
                            new HistoryEntry(now, "CMD [\"bash\"]", "", true)));
            return store.createImage(doc, tags);
        } catch (IOException e) {
            throw new HutchException("cannot build the Debian image: " + e.getMessage(), e);
        } finally {
            unmountUnder(stage);
            try {
                SafePaths.deleteRecursively(stage);
            } catch (IOException e) {
                progress.accept("hutch: could not remove " + stage + ": " + e.getMessage());
            }
        }
    }

    private static void run(List<String> argv, Consumer<String> progress) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> tail = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                progress.accept(line);
                tail.add(line);
                if (tail.size() > 10) tail.remove(0);
            }
        }
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new HutchException("debootstrap did not finish in 30 minutes (is the mirror reachable?)");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while running debootstrap");
        }
        if (p.exitValue() != 0)
            throw new HutchException("debootstrap failed with exit code " + p.exitValue() + "; its last output:\n  "
                    + String.join("\n  ", tail) + "\n(check the suite name and that the mirror is reachable)");
    }

    /**
     * What does not belong in an image: device nodes (the runtime makes /dev; a layer cannot hold
     * them), the host's resolv.conf and hostname that debootstrap copies, the downloaded .debs.
     */
    static void tidy(Path rootfs) throws IOException {
        Path dev = rootfs.resolve("dev");
        if (Files.isDirectory(dev)) {
            SafePaths.deleteRecursively(dev);
            Files.createDirectory(dev);
        }
        for (String f : List.of("etc/resolv.conf", "etc/hostname")) Files.deleteIfExists(rootfs.resolve(f));
        Path debs = rootfs.resolve("var/cache/apt/archives");
        if (Files.isDirectory(debs)) {
            try (Stream<Path> s = Files.list(debs)) {
                for (Path deb : s.filter(x -> x.toString().endsWith(".deb")).toList()) Files.delete(deb);
            }
        }
    }

    /** debootstrap mounts proc and sys inside the target; a failed run may leave them. Deepest first. */
    private static void unmountUnder(Path dir) {
        try {
            List<String> points = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(dir.toString() + "/")) points.add(f[1]);
            }
            points.sort(Comparator.comparingInt(String::length).reversed());
            for (String m : points) new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing mounted that we can see
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
