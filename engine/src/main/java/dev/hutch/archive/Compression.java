package dev.hutch.archive;

import io.airlift.compress.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * How a layer stream is compressed, told from its first bytes as the OCI image spec's media types
 * allow (tar, tar+gzip, tar+zstd): the magic numbers, not the media type, so a layer whose
 * registry or archive names it wrongly still unpacks, and one that is neither is read as a tar
 * (which then says what is wrong).
 */
public final class Compression {
    private Compression() {}

    /** The stream uncompressed; {@code in} must support mark/reset (a BufferedInputStream). */
    public static InputStream decompressing(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (isGzip(head)) return new GzipCompressorInputStream(in, true); // concatenated members, as gzip(1) reads them
        if (isZstd(head)) return new ZstdInputStream(in);
        return in;
    }

    public static boolean isGzip(byte[] head) { return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b; }

    /** RFC 8878: a zstd frame starts 28 B5 2F FD. */
    public static boolean isZstd(byte[] head) {
        return head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd;
    }
}
