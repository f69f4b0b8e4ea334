package dev.hutch.rootfs;

import dev.hutch.image.Image;
import dev.hutch.image.ImageReference;
import dev.hutch.image.ImageSource;
import dev.hutch.image.LocalImageStore;

import java.nio.file.Path;
import java.util.List;

/**
 * The built-in {@code busybox} image as an {@link ImageSource}: the engine asks it for references
 * it does not have, and it builds {@code busybox:latest} once (under a store lock, so two first
 * runs at the same moment build it once) with {@link BusyboxImageBuilder}.
 * {@code HUTCH_BUSYBOX} points at another static busybox binary.
 */
public final class BusyboxImage implements ImageSource {
    public static final String NAME = BusyboxImageBuilder.REFERENCE;

    private final Path busybox;

    public BusyboxImage() { this(Path.of(System.getenv().getOrDefault("HUTCH_BUSYBOX", "/bin/busybox"))); }

    public BusyboxImage(Path busybox) { this.busybox = busybox; }

    @Override
    public Image provide(String reference, LocalImageStore local) {
        if (!NAME.equals(ImageReference.normalizeOrNull(reference))) return null;
        return local.locked("build-busybox", () -> {
            Image existing = local.find(NAME);
            return existing != null ? existing : new BusyboxImageBuilder(busybox).build(local, List.of(NAME));
        });
    }
}
