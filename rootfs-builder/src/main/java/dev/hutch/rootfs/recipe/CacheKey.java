package dev.hutch.rootfs.recipe;

import dev.hutch.util.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The build cache's key of a step: sha256 over the parent image id, the step's kind and
 * arguments, and for {@code copy} the hash of the copied content. Each field is written with its
 * length first, so {@code run 'a b'} and {@code run 'a', 'b'} cannot collide. The recipe line and
 * the step's position are not part of it: moving a step with its parent unchanged still hits.
 */
public final class CacheKey {
    /** Bumped when the meaning of a cached result changes, so old entries are simply not found. */
    static final String VERSION = "hutch-build-cache-v1";

    private CacheKey() {}

    /** @param contentHash the copied files' hash for {@code copy}; null for other steps */
    public static String of(String parentImageId, Step step, String contentHash) {
        MessageDigest md = Sha256.newDigest();
        field(md, VERSION);
        field(md, parentImageId);
        field(md, step.kind().name());
        field(md, Integer.toString(step.args().size()));
        for (String a : step.args()) field(md, a);
        if (contentHash != null) field(md, contentHash);
        return Sha256.hex(md);
    }

    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        md.update(b);
    }
}
