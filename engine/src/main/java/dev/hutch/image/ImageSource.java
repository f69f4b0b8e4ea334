package dev.hutch.image;

/**
 * Makes an image that is not in the store yet, e.g. the built-in {@code busybox} image, built on
 * first use by the rootfs-builder. The engine does not know the builders (it must not depend on
 * them); the CLI and the DSL hand one in.
 */
@FunctionalInterface
public interface ImageSource {
    /**
     * @param store where the image is built to (a builder writes layers, so it needs the store
     *              itself, not the read-only {@link ImageStore} view)
     * @return the image, now in the store, or null if this source does not make {@code reference}
     */
    Image provide(String reference, LocalImageStore store);
}
