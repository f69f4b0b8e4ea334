package dev.hutch.rootfs;

import dev.hutch.HutchException;
import dev.hutch.image.Image;
import dev.hutch.image.ImageConfig;
import dev.hutch.image.ImageRecord;
import dev.hutch.image.ImageSource;
import dev.hutch.image.ImageStore;
import dev.hutch.image.LocalImageStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built-in {@code busybox} image, made on first use from the host's busybox-static: one layer
 * with {@code /bin/busybox}, a link for every applet where busybox says it belongs, and the few
 * files a shell expects (/etc/passwd, /etc/group, /etc/hosts). Every file gets one fixed time, so
 * the same busybox binary always gives the same layer digest.
 */
public final class BusyboxImage implements ImageSource {
    public static final String NAME = "busybox:latest";
    /** A fixed time for every entry, so the layer is reproducible. */
    private static final FileTime EPOCH = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

    private final Path busybox;

    public BusyboxImage() { this(Path.of(System.getenv().getOrDefault("HUTCH_BUSYBOX", "/bin/busybox"))); }

    public BusyboxImage(Path busybox) { this.busybox = busybox; }

    @Override
    public Image provide(String reference, ImageStore store) {
        if (!LocalImageStore.normalize(reference).equals(NAME) || !(store instanceof LocalImageStore local)) return null;
        // One build even when several runs ask at once: the second waits, then finds the image.
        return local.locked("build-busybox", () -> {
            Image existing = local.find(NAME);
            return existing != null ? existing : build(local);
        });
    }

    Image build(LocalImageStore store) {
        checkStatic();
        Path work;
        try {
            Files.createDirectories(store.layers().dir("sha256:x").getParent());
            work = Files.createTempDirectory(store.layers().dir("sha256:x").getParent(), ".busybox-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path fs = work.resolve("fs");
        try {
            writeLayer(fs);
            String diffId = store.layers().adopt(fs);
            ImageConfig config = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("sh"), null, null, List.of(), Map.of());
            ImageRecord record = new ImageRecord(EPOCH.toInstant(), config, List.of(diffId),
                    List.of(new ImageRecord.History(EPOCH.toInstant(), "hutch: busybox from " + busybox, false)));
            store.create(record, List.of(NAME));
            return store.resolve(NAME);
        } catch (IOException e) {
            throw new HutchException("cannot build the busybox image: " + e.getMessage(), e);
        } finally {
            try {
                org.apache.commons.io.FileUtils.deleteDirectory(work.toFile());
            } catch (IOException ignored) {
                // a leftover temp dir under layers/ is harmless
            }
        }
    }

    void writeLayer(Path fs) throws IOException {
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "home", "var", "root", "tmp", "var/tmp")) {
            Files.createDirectories(fs.resolve(d));
        }
        // The sticky bit is beyond PosixFilePermissions; the unix view sets the whole mode.
        Files.setAttribute(fs.resolve("tmp"), "unix:mode", 01777);
        Files.setAttribute(fs.resolve("var/tmp"), "unix:mode", 01777);
        Files.setPosixFilePermissions(fs.resolve("root"), PosixFilePermissions.fromString("rwx------"));
        Files.copy(busybox, fs.resolve("bin/busybox"));
        Files.setPosixFilePermissions(fs.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String applet : applets()) {
            Path link = fs.resolve(applet);
            if (applet.equals("bin/busybox") || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(fs.resolve("bin/busybox")));
        }
        write(fs, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        write(fs, "etc/group", "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
        write(fs, "etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        write(fs, "etc/hostname", "busybox\n");
        touchAll(fs);
    }

    private List<String> applets() throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new HutchException(busybox + " --list-full failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        }
        List<String> out2 = new ArrayList<>();
        for (String line : out.split("\n")) {
            String a = line.strip();
            if (!a.isEmpty() && !a.startsWith("/") && !a.contains("..")) out2.add(a);
        }
        return out2;
    }

    private void checkStatic() {
        if (!Files.isRegularFile(busybox))
            throw new HutchException("the busybox image is made from " + busybox + ", which is missing: install it with `apt-get install busybox-static`");
        try {
            if (Elf.needsInterpreter(Files.readAllBytes(busybox)))
                throw new HutchException(busybox + " is dynamically linked and would not run alone in a container: install `busybox-static`");
        } catch (IllegalArgumentException e) {
            throw new HutchException(busybox + " is not a usable busybox binary (" + e.getMessage() + "): install `busybox-static`");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path fs, String rel, String content) throws IOException {
        Files.writeString(fs.resolve(rel), content);
        Files.setPosixFilePermissions(fs.resolve(rel), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void touchAll(Path fs) throws IOException {
        try (var s = Files.walk(fs)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (Files.isSymbolicLink(p)) continue; // a link's own time cannot be set portably; tar uses the link's
                Files.setLastModifiedTime(p, EPOCH);
            }
        }
    }
}
