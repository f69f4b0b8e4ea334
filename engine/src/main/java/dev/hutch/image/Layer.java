package dev.hutch.image;

import java.nio.file.Path;

/**
 * A stored layer. Its digest is its diff id: the sha256 of its uncompressed tar, so the same
 * content imported twice is stored once.
 *
 * @param fsDir the unpacked tree in overlay's format, usable as an overlay lowerdir as it is
 * @param size  bytes of file content
 */
public record Layer(String digest, Path fsDir, long size) {
    public String hex() { return digest.substring("sha256:".length()); }
}
