package dev.hutch.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the digest of every content address hutch keeps (image ids, layer diff ids, blobs).
 * Every JDK has it, so its absence is a broken JVM, not an error to report.
 */
public final class Sha256 {
    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The lowercase hex of these bytes' digest (no "sha256:" prefix). */
    public static String hex(byte[] bytes) { return HexFormat.of().formatHex(newDigest().digest(bytes)); }

    /** The lowercase hex of what a digest has taken in so far (it is reset). */
    public static String hex(MessageDigest digest) { return HexFormat.of().formatHex(digest.digest()); }
}
