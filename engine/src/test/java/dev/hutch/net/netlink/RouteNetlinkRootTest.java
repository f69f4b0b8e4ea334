package dev.hutch.net.netlink;

import dev.hutch.net.ipam.Ipv4;
import dev.hutch.net.netns.InNetns;
import dev.hutch.sys.Syscalls;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The netlink client against the real kernel: a bridge, a veth pair into a namespace of our own
 * ({@code unshare -n sleep}), addresses and a route, then a real TCP connection from inside that
 * namespace to a Java server on the bridge's address. Names and the /24 are random and never
 * hutch0's.
 */
@RequiresRoot
@RequiresCommand("unshare")
class RouteNetlinkRootTest {
    private final Syscalls sys = Syscalls.jna();
    private final int rnd = ThreadLocalRandom.current().nextInt(1000, 9999);
    private final String bridge = "hutcht" + rnd;
    private final String veth = "hvt" + rnd;
    private final int third = ThreadLocalRandom.current().nextInt(100, 250);
    private final int gateway = Ipv4.parse("10.239." + third + ".1");
    private final int inside = Ipv4.parse("10.239." + third + ".2");
    private Process ns;

    @AfterEach
    void cleanUp() {
        if (ns != null) ns.destroyForcibly();
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            nl.deleteLink(veth);
            nl.deleteLink(bridge);
        }
    }

    @Test
    void wiresANamespaceToABridgeAndCarriesTcp() throws Exception {
        ns = new ProcessBuilder("unshare", "-n", "sleep", "30").start();
        long pid = ns.pid();
        waitForOwnNetns(pid);
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            assertTrue(nl.link(bridge).isEmpty());
            nl.createBridge(bridge, 1500);
            LinkInfo br = nl.requireLink(bridge);
            assertEquals("bridge", br.kind());
            nl.addAddressIfMissing(br.index(), gateway, 24);
            nl.addAddressIfMissing(br.index(), gateway, 24); // twice is fine
            nl.setUp(br.index());
            nl.createVethToPid(veth, "eth0", 1500, pid, new byte[] {2, 0x48, 10, (byte) 239, (byte) third, 2}, 0);
            LinkInfo host = nl.requireLink(veth);
            assertEquals("veth", host.kind());
            assertFalse(host.isUp());
            nl.setMasterAndUp(host.index(), br.index());
            nl.setHairpin(host.index(), true);
            assertEquals(br.index(), nl.requireLink(veth).master());
            assertTrue(nl.addresses().stream().anyMatch(a -> a.index() == br.index() && a.cidr().equals(Ipv4.format(gateway) + "/24")));
            assertTrue(nl.link("eth0").isEmpty() || nl.link("eth0").get().index() != host.index(), "the peer is not on the host");
        }
        String nsPath = "/proc/" + pid + "/ns/net";
        InNetns in = new InNetns(sys);
        in.run(nsPath, s -> {
            try (RouteNetlink nl = new RouteNetlink(s)) {
                LinkInfo lo = nl.requireLink("lo");
                nl.setUp(lo.index());
                LinkInfo eth = nl.requireLink("eth0");
                assertEquals("02:48:0a:ef:" + String.format("%02x", third) + ":02", eth.mac());
                nl.addAddressIfMissing(eth.index(), inside, 24);
                nl.setUp(eth.index());
                nl.addDefaultRoute(gateway, eth.index());
            }
        });

        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(Ipv4.format(gateway), 0));
            int port = server.getLocalPort();
            Thread accept = new Thread(() -> {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(("hello " + c.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (Exception ignored) {
                    // the assertion below reports it
                }
            });
            accept.start();
            // The client socket is created on a thread inside the namespace, so it lives there.
            String reply = in.call(nsPath, s -> {
                try (Socket c = new Socket()) {
                    c.connect(new InetSocketAddress(Ipv4.format(gateway), port), 5000);
                    InputStream is = c.getInputStream();
                    return new String(is.readAllBytes(), StandardCharsets.UTF_8).trim();
                } catch (Exception e) {
                    throw new AssertionError("no TCP connection from inside the namespace: " + e, e);
                }
            });
            accept.join(5000);
            assertEquals("hello " + Ipv4.format(inside), reply);
        }

        List<String> insideLinks = in.call(nsPath, s -> {
            try (RouteNetlink nl = new RouteNetlink(s)) {
                return nl.links().stream().map(l -> l.name() + ":" + l.state()).toList();
            }
        });
        assertTrue(insideLinks.contains("lo:UP,LOWER_UP"), insideLinks.toString());
        assertTrue(insideLinks.stream().anyMatch(l -> l.startsWith("eth0:UP")), insideLinks.toString());

        try (RouteNetlink nl = new RouteNetlink(sys)) {
            assertTrue(nl.deleteLink(veth));
            assertFalse(nl.deleteLink(veth), "deleting again is quiet");
            assertTrue(nl.deleteLink(bridge));
            assertTrue(nl.link(bridge).isEmpty());
        }
    }

    private static void waitForOwnNetns(long pid) throws Exception {
        String host = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/net")).toString();
        for (int i = 0; i < 200; i++) {
            try {
                String theirs = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + pid + "/ns/net")).toString();
                if (!theirs.equals(host)) return;
            } catch (java.io.IOException ignored) {
                // not there yet
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        fail("unshare did not make a new network namespace");
    }
}
