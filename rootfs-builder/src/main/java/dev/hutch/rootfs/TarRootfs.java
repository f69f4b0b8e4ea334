package dev.hutch.rootfs;

import dev.hutch.image.HistoryEntry;
import dev.hutch.image.Image;
import dev.hutch.image.ImageConfig;
import dev.hutch.image.ImageDocument;
import dev.hutch.image.Layer;
import dev.hutch.image.LocalImageStore;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * An image from a root file system tar (plain or gzip, e.g. a distribution's rootfs tarball or a
 * {@code hutch export}), as one layer. The tar goes through the store's safe unpacker, so a hostile
 * tar is refused with nothing left. The image runs {@code sh} by default when it has one.
 */
public final class TarRootfs {
    private final LocalImageStore store;

    public TarRootfs(LocalImageStore store) { this.store = store; }

    public Image build(Path tar, List<String> tags) {
        Layer layer = store.importLayer(tar);
        String now = Instant.now().toString();
        ImageConfig config = new ImageConfig(ImageConfig.DEFAULT_ENV, null, hasShell(layer.fsDir()) ? List.of("sh") : List.of(),
                null, null, List.of(), null);
        ImageDocument doc = new ImageDocument(ImageDocument.hostArchitecture(), "linux", now, "", config, List.of(layer.digest()),
                List.of(new HistoryEntry(now, "hutch rootfs tar: " + tar.getFileName(), "", false)));
        return store.createImage(doc, tags);
    }

    /**
     * Whether {@code /bin/sh} exists in the layer. Looked up without following links that could
     * leave the layer: {@code bin} may be a link to {@code usr/bin} (merged /usr), so both are tried.
     */
    static boolean hasShell(Path fs) {
        for (String p : List.of("usr/bin/sh", "bin/sh")) {
            Path dir = fs.resolve(p).getParent();
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.exists(fs.resolve(p), LinkOption.NOFOLLOW_LINKS)) return true;
        }
        return false;
    }
}
