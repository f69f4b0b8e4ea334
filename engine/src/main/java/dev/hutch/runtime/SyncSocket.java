package dev.hutch.runtime;

import dev.hutch.HutchException;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine's end of the helper's sync socket, bound on a thread of its own as soon as the
 * container's id is known. The JDK's first unix socket costs tens of milliseconds of class loading
 * and SecureRandom set-up; done in parallel, that cost hides behind the state, rootfs and cgroup
 * work the run does meanwhile, instead of adding to it.
 */
public final class SyncSocket {
    private final Path path;
    private final Thread binder;
    private volatile ServerSocketChannel channel;
    private volatile Exception failure;

    private SyncSocket(Path path) {
        this.path = path;
        this.binder = new Thread(this::bind, "hutch-sync-bind");
        binder.setDaemon(true);
        binder.start();
    }

    /**
     * Where the socket of a container goes: a short name under the run root, since a unix socket
     * path has at most 107 bytes; under /tmp when even that is too long.
     */
    public static Path pathFor(Path runRoot, String id) {
        Path p = runRoot.resolve("sync").resolve(id.substring(0, 16) + ".sock");
        if (p.toString().getBytes(StandardCharsets.UTF_8).length <= 107) return p;
        return Path.of("/tmp", "hutch-sync-" + id.substring(0, 16) + ".sock");
    }

    public static SyncSocket bindInBackground(Path path) { return new SyncSocket(path); }

    public Path path() { return path; }

    private void bind() {
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            channel = ch;
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The bound channel, once the background bind is done. */
    ServerSocketChannel channel() {
        try {
            binder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        }
        if (failure != null) throw new HutchException("cannot open the sync socket " + path + ": " + failure.getMessage(), failure);
        return channel;
    }

    /** Closes the channel (if it was ever bound) and removes the socket file. */
    public void close() {
        try {
            binder.join();
            if (channel != null) channel.close();
            Files.deleteIfExists(path);
        } catch (IOException | InterruptedException ignored) {
            // best effort: a stale socket file is removed by the next bind
        }
    }
}
