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

    /** An output stream that hashes and counts what passes through it, on to another stream or to nowhere. */
    public static final class Counting extends java.io.OutputStream {
        private final MessageDigest sha = newDigest();
        private final java.io.OutputStream next;
        private long count;

        public Counting() { this(null); }

        public Counting(java.io.OutputStream next) { this.next = next; }

        @Override public void write(int b) throws java.io.IOException {
            sha.update((byte) b);
            count++;
            if (next != null) next.write(b);
        }

        @Override public void write(byte[] b, int off, int len) throws java.io.IOException {
            sha.update(b, off, len);
            count += len;
            if (next != null) next.write(b, off, len);
        }

        @Override public void flush() throws java.io.IOException { if (next != null) next.flush(); }

        public long count() { return count; }

        /** "sha256:&lt;hex&gt;" of everything written (call once). */
        public String digest() { return "sha256:" + hex(sha); }
    }
}
