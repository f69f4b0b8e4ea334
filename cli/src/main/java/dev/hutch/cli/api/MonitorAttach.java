package dev.hutch.cli.api;

import dev.hutch.cli.commands.DetachKeys;
import dev.hutch.runtime.AttachSocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * An API attach to a container started detached ({@code docker run -d}, then {@code docker
 * attach}): the session joins the container's monitor through its attach socket, as
 * {@code hutch attach} does. The session gets the container's output from now on, in its own
 * framing (raw with a tty, multiplexed without), and its stdin goes to the container's when it
 * asked for it and the container was started with -i. With a tty the detach keys are read from
 * that stdin, as dockerd does: they end this session and leave the container running. The
 * container's end is the end of the stream.
 */
final class MonitorAttach {
    private MonitorAttach() {}

    /** @return false when the container has no attach socket (it runs in some hutch's foreground); the caller follows its log instead */
    static boolean relay(Path stateDir, StreamHub.Session session, boolean tty, DetachKeys keys) {
        SocketChannel ch;
        try {
            ch = AttachSocket.connect(stateDir);
        } catch (IOException e) {
            return false;
        }
        try (ch) {
            if (session.stdin) StreamHub.daemon("hutch-api-attach-stdin", () -> pumpStdin(session, ch, tty ? keys : null));
            relayOutput(ch, session, tty);
        } catch (IOException e) {
            // the socket closed under us (a detach) or the monitor went away
        }
        return true;
    }

    /** Frames of {stream, 0, 0, 0, length (32-bit big endian)} then the bytes, until the monitor closes. */
    private static void relayOutput(SocketChannel ch, StreamHub.Session session, boolean tty) throws IOException {
        DataInputStream in = new DataInputStream(reader(ch));
        byte[] header = new byte[8];
        try {
            while (true) {
                in.readFully(header);
                int len = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                byte[] data = in.readNBytes(len);
                if (data.length < len) return;
                int stream = header[0] == Hijack.STDERR ? Hijack.STDERR : Hijack.STDOUT;
                if (stream == Hijack.STDERR ? !session.stderr : !session.stdout) continue;
                session.conn.write(tty ? Hijack.RAW : stream, data, data.length);
            }
        } catch (EOFException | java.nio.channels.ClosedChannelException e) {
            // the container ended, or the session detached
        }
    }

    /**
     * The client's bytes to the container. The client's half-close ends only its input: the
     * container's stdin stays open for others, as with docker's attach to a running container.
     */
    private static void pumpStdin(StreamHub.Session session, SocketChannel ch, DetachKeys keys) {
        byte[] buf = new byte[32 * 1024];
        try {
            for (int n; (n = session.conn.in().read(buf)) > 0; ) {
                ByteArrayOutputStream pass = new ByteArrayOutputStream();
                int ok = keys == null ? n : keys.feed(buf, n, pass);
                ByteBuffer out = keys == null ? ByteBuffer.wrap(buf, 0, n) : ByteBuffer.wrap(pass.toByteArray());
                while (out.hasRemaining()) ch.write(out);
                if (ok < 0) {
                    ch.close(); // the output relay ends, and with it the session; the container runs on
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the container went away
        }
    }

    /* The channel's own read: Channels.newInputStream would share one lock with the writes of typed bytes. */
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
