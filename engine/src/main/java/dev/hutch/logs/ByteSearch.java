package dev.hutch.logs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in an array eight bytes at a time. {@code logs} looks for newlines, quotes and
 * backslashes in every byte of a log that may be gigabytes; a byte-by-byte loop made the copy
 * several times slower than reading the file.
 *
 * <p>The trick (a "has zero byte" test, from Hacker's Delight): XOR eight bytes with the wanted
 * byte repeated, so a match becomes a zero byte; {@code (x - 0x01..01) & ~x & 0x80..80} then has
 * the high bit set in the lowest zero byte (higher bits may be false alarms, but only above a true
 * zero). Read little-endian, the lowest byte is the first in the array.
 */
final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    private ByteSearch() {}

    /** The index of the first {@code b} in {@code a[from, to)}, or -1. */
    static int indexOf(byte[] a, int from, int to, byte b) {
        long pattern = (b & 0xFFL) * ONES;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) if (a[i] == b) return i;
        return -1;
    }
}
