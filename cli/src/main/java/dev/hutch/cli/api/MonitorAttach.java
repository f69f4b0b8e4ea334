package dev.hutch.cli.api;

import dev.hutch.cli.commands.DetachKeys;
import dev.hutch.runtime.AttachSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

    private static void relayOutput(SocketChannel ch, StreamHub.Session session, boolean tty) throws IOException {
        AttachSocket.readFrames(ch, (stream, data) -> {
            if (stream == Hijack.STDERR ? !session.stderr : !session.stdout) return;
            session.conn.write(tty ? Hijack.RAW : stream, data, data.length);
        });
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
                if (keys == null) AttachSocket.write(ch, buf, 0, n);
                else AttachSocket.write(ch, pass.toByteArray(), 0, pass.size());
                if (ok < 0) {
                    ch.close(); // the output relay ends, and with it the session; the container runs on
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the container went away
        }
    }
}
