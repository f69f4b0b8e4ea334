package dev.hutch.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two ways deletions are written down. In a layer tar (OCI/docker, and aufs on disk) a deleted
 * {@code name} is an empty file {@code .wh.name}, and a directory whose lower contents are hidden
 * holds {@code .wh..wh..opq}. On disk for overlayfs, a deleted file is a character device 0/0 and an
 * opaque directory carries the xattr {@code trusted.overlay.opaque=y}. Stored layers use overlay's
 * form, so they can be lowerdirs as they are.
 */
public final class Whiteouts {
    public static final String PREFIX = ".wh.";
    public static final String OPAQUE_MARKER = ".wh..wh..opq";
    /** aufs keeps its own bookkeeping under names starting with this; never content. */
    public static final String AUFS_META_PREFIX = ".wh..wh.";
    public static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

    private static final int S_IFMT = 0170000;

    private Whiteouts() {}

    /** True for overlay's whiteout: a character device with device number 0/0. */
    public static boolean isOverlayWhiteout(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return (((Integer) a.get("mode")) & S_IFMT) == NativeFs.S_IFCHR && ((Long) a.get("rdev")) == 0L;
    }

    public static boolean isOverlayOpaque(Path dir) throws IOException {
        return "y".equals(NativeFs.getXattr(dir, OVERLAY_OPAQUE_XATTR));
    }

    public static void makeOverlayWhiteout(Path p) throws IOException {
        NativeFs.makeWhiteoutDevice(p);
    }

    public static void markOverlayOpaque(Path dir) throws IOException {
        NativeFs.setXattr(dir, OVERLAY_OPAQUE_XATTR, "y");
    }

    /** For a tar entry's base name {@code .wh.foo}, "foo"; null if it is not a plain whiteout. */
    public static String whitedOutName(String baseName) {
        if (!baseName.startsWith(PREFIX) || baseName.startsWith(AUFS_META_PREFIX)) return null;
        return baseName.substring(PREFIX.length());
    }
}
