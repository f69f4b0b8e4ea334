package dev.hutch.runtime;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client side of a detached container's attach socket ({@code STATE_DIR/attach}, served by its
 * monitor: docs/helper-protocol.md "Attach socket"), for {@code hutch attach} and the Docker API's
 * attach.
 */
public final class AttachSocket {
    public static final String NAME = "attach";

    private AttachSocket() {}

    /** True while the monitor of a detached container listens (a foreground run has no socket). */
    public static boolean exists(Path stateDir) { return Files.exists(stateDir.resolve(NAME)); }

    /**
     * Connects. The socket's path can be longer than a unix address takes (the state dir of a
     * 64-hex id under a test's root), so it is reached through a short symlink to the dir, made
     * and removed here.
     */
    public static SocketChannel connect(Path stateDir) throws IOException {
        Path link = Path.of("/tmp", "hutch-attach-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createSymbolicLink(link, stateDir);
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(link.resolve(NAME)));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        } finally {
            Files.deleteIfExists(link);
        }
    }

    /** One piece of the container's output: its stream (1 stdout, 2 stderr) and bytes. */
    public interface FrameSink {
        void frame(int stream, byte[] data) throws IOException;
    }

    /**
     * Reads the monitor's frames ({stream, 0, 0, 0, length (32-bit big endian)} then the bytes)
     * into {@code sink} until the monitor closes (the container ended) or the channel is closed
     * (the caller detached).
     */
    public static void readFrames(SocketChannel ch, FrameSink sink) throws IOException {
        DataInputStream in = new DataInputStream(reader(ch));
        byte[] header = new byte[8];
        try {
            while (true) {
                in.readFully(header);
                int len = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                byte[] data = in.readNBytes(len);
                if (data.length < len) return;
                sink.frame(header[0] == 2 ? 2 : 1, data);
            }
        } catch (EOFException | java.nio.channels.ClosedChannelException e) {
            // the container ended, or the caller detached
        }
    }

    /** Writes all of the bytes (typed input for the container's stdin). */
    public static void write(SocketChannel ch, byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /*
     * The channel's own read, not Channels.newInputStream: that takes one lock for reads and
     * writes, so a write of typed bytes would wait for the blocked read of output.
     */
    private static InputStream reader(SocketChannel ch) {
        return new InputStream() {
            @Override public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                return ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }
}
