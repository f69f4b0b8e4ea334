package dev.hutch.dsl.container;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Asks whether something listens on a TCP port. Only two kinds of address are ever tried, and
 * {@link ContainerHandle} decides which: the container's own address (inside a namespace hutch
 * made) or 127.0.0.1 for a port published on the host. Nothing else on the network is touched.
 */
final class PortProbe {
    private PortProbe() {}

    static boolean answers(String ip, int port, int connectTimeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), connectTimeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
