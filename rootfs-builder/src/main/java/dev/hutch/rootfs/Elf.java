package dev.hutch.rootfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Just enough ELF to tell a static binary from one that needs a dynamic loader. */
final class Elf {
    private static final int PT_INTERP = 3;

    private Elf() {}

    /** True if the 64-bit little-endian ELF image has a PT_INTERP program header. */
    static boolean needsInterpreter(byte[] image) {
        if (image.length < 64 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F')
            throw new IllegalArgumentException("not an ELF file");
        if (image[4] != 2 || image[5] != 1) throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long off = phoff + (long) i * phentsize;
            if (off + 4 > image.length) break;
            if (b.getInt((int) off) == PT_INTERP) return true;
        }
        return false;
    }
}
