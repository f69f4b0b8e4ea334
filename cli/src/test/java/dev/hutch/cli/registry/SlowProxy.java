package dev.hutch.cli.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of the registry that passes the server's bytes at a bounded
 * rate (TLS goes through untouched), so a test can stop the registry while a layer is on the wire.
 * {@link #close} drops every connection and the listening socket: the client sees the registry
 * vanish mid-blob and then refuse connections.
 */
final class SlowProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final int bytesPerTick;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final long cutOnceAfter;
    private final java.util.concurrent.atomic.AtomicInteger cuts = new java.util.concurrent.atomic.AtomicInteger();

    SlowProxy(int target, int bytesPerSecond) throws IOException { this(target, bytesPerSecond, -1); }

    /**
     * @param cutOnceAfter the first connection that passes more server bytes than this is cut
     *                     (both sides closed), as a network that drops a connection mid-blob; -1: never
     */
    SlowProxy(int target, int bytesPerSecond, long cutOnceAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cutOnceAfter = cutOnceAfter;
        this.bytesPerTick = Math.max(1, bytesPerSecond / 100);
        Thread accept = new Thread(this::acceptLoop, "slow-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(upstream);
                pump(client.getInputStream(), upstream.getOutputStream(), Integer.MAX_VALUE, null);
                pump(upstream.getInputStream(), client.getOutputStream(), bytesPerTick, List.of(client, upstream));
            } catch (IOException closed) {
                return;
            }
        }
    }

    int cuts() { return cuts.get(); }

    private void pump(InputStream in, OutputStream out, int perTick, List<Socket> connection) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[Math.min(perTick, 64 * 1024)];
            long passed = 0;
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                    passed += n;
                    if (connection != null && cutOnceAfter >= 0 && passed > cutOnceAfter && cuts.compareAndSet(0, 1)) {
                        for (Socket s : connection) s.close();
                        return;
                    }
                    if (perTick != Integer.MAX_VALUE) Thread.sleep(10);
                }
            } catch (IOException | InterruptedException ignored) {
                // a side closed: the relay ends
            } finally {
                try { out.close(); } catch (IOException ignored) { /* already gone */ }
            }
        }, "slow-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
