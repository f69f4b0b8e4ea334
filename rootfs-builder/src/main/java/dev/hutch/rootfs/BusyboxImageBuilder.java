package dev.hutch.rootfs;

import dev.hutch.HutchException;
import dev.hutch.archive.TarBuilder;
import dev.hutch.image.HistoryEntry;
import dev.hutch.image.Image;
import dev.hutch.image.ImageConfig;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.ImageStore;
import dev.hutch.image.Layer;
import dev.hutch.image.LocalImageStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code busybox:latest} from the host's static busybox: one layer with {@code bin/busybox},
 * every applet as a relative symlink to it, a minimal {@code /etc} and the empty directories a
 * container expects. The layer and the config are deterministic (every timestamp is the busybox
 * file's mtime), so two hosts with the same busybox package get the same image id, and two
 * {@code hutch run busybox} racing on a fresh host store the same thing twice, harmlessly.
 */
public final class BusyboxImageBuilder {
    public static final String REFERENCE = "busybox:latest";
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

    private final Path busybox;

    public BusyboxImageBuilder() { this(HOST_BUSYBOX); }

    public BusyboxImageBuilder(Path busybox) { this.busybox = busybox; }

    /**
     * What the CLI calls before {@code run}/{@code create}: the image for {@code reference}; when it
     * is {@code busybox} (or {@code busybox:latest}) and not stored yet, builds it first. Any other
     * missing reference is a NotFoundException, as from {@link ImageStore#resolve}.
     */
    public static Image ensure(LocalImageStore store, String reference) {
        Image found = store.find(reference);
        if (found != null) return found;
        Image made = new BusyboxImage().provide(reference, store);
        return made != null ? made : store.resolve(reference);
    }

    /** Builds the image into {@code store} and points {@code tags} at it. */
    public Image build(LocalImageStore store, List<String> tags) {
        checkBusybox();
        Instant mtime = mtime();
        Path tar = null;
        try {
            tar = Files.createTempFile("hutch-busybox-", ".tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                layer(applets(), mtime).write(out);
            }
            Layer layer = store.importLayer(tar);
            String version = version();
            ImageConfig config = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("sh"), null, null, List.of(), null);
            List<HistoryEntry> history = List.of(
                    new HistoryEntry(mtime.toString(), "hutch busybox builder: " + busybox + " (" + version + ")", "", false),
                    new HistoryEntry(mtime.toString(), "CMD [\"sh\"]", "", true));
            ImageDocument doc = new ImageDocument(ImageDocument.hostArchitecture(), "linux", mtime.toString(), "",
                    config, List.of(layer.digest()), history);
            return store.createImage(doc, tags);
        } catch (IOException e) {
            throw new HutchException("cannot build the busybox image: " + e.getMessage(), e);
        } finally {
            if (tar != null) try { Files.deleteIfExists(tar); } catch (IOException ignored) { /* a file in /tmp */ }
        }
    }

    /** The layer's content, as a deterministic tar description. */
    TarBuilder layer(List<String> applets, Instant mtime) {
        TarBuilder t = new TarBuilder(mtime);
        for (String d : List.of("bin", "dev", "etc", "home", "proc", "sys", "usr", "usr/bin", "usr/sbin", "sbin", "var"))
            t.dir(d, 0755);
        t.dir("root", 0700);
        t.dir("tmp", 01777);
        t.dir("var/tmp", 01777);
        t.file("bin/busybox", 0755, busybox);
        for (String applet : applets) {
            if (applet.equals("bin/busybox") || !applet.contains("/")) continue; // linuxrc: an initrd's, not a container's
            t.symlink(applet, linkTarget(applet));
        }
        t.file("etc/passwd", 0644, text("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"));
        t.file("etc/group", 0644, text("root:x:0:\nnobody:x:65534:\n"));
        t.file("etc/hosts", 0644, text("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
        return t;
    }

    /** "usr/bin/ar" → "../../bin/busybox": relative, so it also works when the layer is not the root. */
    static String linkTarget(String applet) {
        int depth = applet.split("/").length - 1;
        return depth == 1 && applet.startsWith("bin/") ? "busybox" : "../".repeat(depth) + "bin/busybox";
    }

    /** Applet paths from {@code busybox --list-full}, e.g. "bin/sh", "usr/bin/awk". */
    List<String> applets() {
        List<String> out = new ArrayList<>();
        for (String line : run("--list-full").split("\n")) {
            String a = line.trim();
            if (!a.isEmpty()) out.add(a);
        }
        if (out.isEmpty()) throw new HutchException(busybox + " --list-full printed no applets; is it a full busybox build?");
        return out;
    }

    private String version() {
        String first = run("--help").lines().findFirst().orElse("BusyBox");
        return first.endsWith(" multi-call binary.") ? first.substring(0, first.length() - 19) : first;
    }

    private void checkBusybox() {
        if (!Files.isRegularFile(busybox))
            throw new HutchException("cannot build the busybox image: " + busybox + " is missing (install it with: apt-get install busybox-static)");
        try {
            String problem = StaticBinaryCheck.problem(busybox);
            if (problem != null)
                throw new HutchException("cannot build the busybox image: " + busybox + " " + problem
                        + " (install the static build with: apt-get install busybox-static)");
        } catch (IOException e) {
            throw new HutchException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
    }

    private Instant mtime() {
        try {
            return Files.getLastModifiedTime(busybox).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            throw new HutchException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
    }

    private String run(String arg) {
        try {
            Process p = new ProcessBuilder(busybox.toString(), arg).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new HutchException(busybox + " " + arg + " did not finish");
            }
            return out;
        } catch (IOException e) {
            throw new HutchException("cannot run " + busybox + " " + arg + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while running " + busybox);
        }
    }

    private static byte[] text(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
