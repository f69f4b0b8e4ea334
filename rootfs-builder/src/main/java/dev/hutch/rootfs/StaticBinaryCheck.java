package dev.hutch.rootfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells whether an ELF file is statically linked, by looking for a PT_INTERP program header (the
 * dynamic loader a dynamic binary asks for). A dynamic busybox would not start inside an image that
 * has no libc, so the builder checks before it copies.
 */
public final class StaticBinaryCheck {
    private static final int PT_INTERP = 3;

    private StaticBinaryCheck() {}

    /** Null if {@code file} is a static ELF executable; otherwise why not. */
    public static String problem(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(64);
            if (ch.read(h, 0) < 52) return "is not an ELF executable (too short)";
            h.flip();
            if (h.getInt(0) != 0x7f454c46) return "is not an ELF executable";
            boolean is64 = h.get(4) == 2;
            h.order(h.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1c));
            int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2a));
            int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2c));
            ByteBuffer ph = ByteBuffer.allocate(4).order(h.order());
            for (int i = 0; i < phnum; i++) {
                ph.clear();
                ch.read(ph, phoff + (long) i * phentsize);
                if (ph.getInt(0) == PT_INTERP) return "is dynamically linked (it needs a loader and libc the image does not have)";
            }
            return null;
        }
    }
}
