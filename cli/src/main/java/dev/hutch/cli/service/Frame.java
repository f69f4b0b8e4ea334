package dev.hutch.cli.service;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the client protocol: a type byte, a 4-byte big-endian unsigned payload length,
 * the payload. Both directions use it (docs/engine-service.md has the frame types).
 */
public record Frame(char type, byte[] payload) {
    /** Far above any real argument list or environment entry; guards against a garbled stream. */
    static final int MAX_PAYLOAD = 16 << 20;

    public String text() { return new String(payload, StandardCharsets.UTF_8); }

    /** The next frame, or null at a clean end of stream (before a type byte). */
    public static Frame read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) return null;
        DataInputStream data = new DataInputStream(in);
        long len = data.readInt() & 0xffffffffL;
        if (len > MAX_PAYLOAD) throw new IOException("frame '" + (char) type + "' of " + len + " bytes: not the hutch protocol");
        byte[] payload = new byte[(int) len];
        data.readFully(payload);
        return new Frame((char) type, payload);
    }

    public static void write(OutputStream out, char type, String payload) throws IOException {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[5 + p.length];
        frame[0] = (byte) type;
        frame[1] = (byte) (p.length >>> 24);
        frame[2] = (byte) (p.length >>> 16);
        frame[3] = (byte) (p.length >>> 8);
        frame[4] = (byte) p.length;
        System.arraycopy(p, 0, frame, 5, p.length);
        out.write(frame); // one write: a frame is never split between two callers
        out.flush();
    }
}
