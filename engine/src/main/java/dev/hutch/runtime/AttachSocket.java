package dev.hutch.runtime;

import java.io.IOException;
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
}
