package dev.hutch.net.nat;

import dev.hutch.HutchException;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Host ports for {@code -p}: picks a free one for host port 0, and refuses a port a host program
 * already listens on. DNAT would silently steal that port's outside traffic, where docker's proxy
 * would have failed to bind; failing the same way is the clearer behaviour.
 */
public final class HostPorts {
    private HostPorts() {}

    /** A free port from the kernel's ephemeral range, for this protocol and host address. */
    public static int pickFree(String protocol, String hostIp) {
        try {
            if (protocol.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address(hostIp), 0))) {
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(address(hostIp), 0));
                return s.getLocalPort();
            }
        } catch (IOException e) {
            throw new HutchException("cannot find a free host port on " + (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ": " + e.getMessage(), e);
        }
    }

    /** Throws if a host program holds the port. */
    public static void requireFree(String protocol, String hostIp, int port) {
        try {
            if (protocol.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address(hostIp), port))) {
                    return;
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(address(hostIp), port));
            }
        } catch (IOException e) {
            throw new HutchException("--publish: host port " + port + "/" + protocol + " on "
                    + (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + " is in use (" + e.getMessage()
                    + "); pick another port, or 0 to let hutch choose");
        }
    }

    private static InetAddress address(String hostIp) throws IOException {
        return InetAddress.getByName(hostIp.isEmpty() ? "0.0.0.0" : hostIp);
    }
}
