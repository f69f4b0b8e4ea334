package dev.hutch.net;

import dev.hutch.spec.PortMapping;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which published ports the monitor serves on [::1], and the proxy6_file lines it gets. */
class LoopbackProxyTest {
    static Endpoint endpoint(String ip6) {
        return new Endpoint("n", "10.9.0.2", 24, "10.9.0.1", "hutch-x", "hvx", "eth0", "02:42:0a:09:00:02", List.of(),
                ip6, ip6 == null ? 0 : 64, ip6 == null ? null : "fd68::1");
    }

    static NetworkRecord wired(String ip6, PortMapping... ports) {
        return new NetworkRecord(NetworkRecord.BRIDGE, "id", "c", "c", List.of(endpoint(ip6)), List.of(ports), true, null, 0);
    }

    @Test
    void servesTcpAndUdpOnAllAddressesAndOnLoopbackOnly() {
        NetworkRecord r = wired("fd68::2", new PortMapping("", 8080, 80, "tcp"), new PortMapping("::1", 8081, 81, "tcp"),
                new PortMapping("0:0:0:0:0:0:0:1", 8082, 82, "tcp"), new PortMapping("::", 8083, 83, "tcp"),
                new PortMapping("0.0.0.0", 8084, 84, "tcp"), new PortMapping("127.0.0.1", 8085, 85, "tcp"),
                new PortMapping("", 8086, 86, "udp"), new PortMapping("fd00::9", 8087, 87, "tcp"),
                new PortMapping("::1", 8088, 88, "udp"), new PortMapping("0.0.0.0", 8089, 89, "udp"));
        assertEquals("8080 fd68::2 80 tcp\n8081 fd68::2 81 tcp\n8082 fd68::2 82 tcp\n8083 fd68::2 83 tcp\n"
                + "8086 fd68::2 86 udp\n8088 fd68::2 88 udp\n", LoopbackProxy.render(r));
    }

    @Test
    void theSameHostPortInBothProtocolsIsTwoLines() {
        NetworkRecord r = wired("fd68::2", new PortMapping("", 5353, 53, "tcp"), new PortMapping("", 5353, 53, "udp"));
        assertEquals("5353 fd68::2 53 tcp\n5353 fd68::2 53 udp\n", LoopbackProxy.render(r));
    }

    @Test
    void nothingWithoutAnIpv6Address() {
        assertEquals("", LoopbackProxy.render(wired(null, new PortMapping("", 8080, 80, "tcp"))));
    }

    @Test
    void bindingsShowBothFamiliesOnlyForADualStackContainer() {
        assertEquals(List.of(new PortMapping("0.0.0.0", 8080, 80, "tcp"), new PortMapping("::", 8080, 80, "tcp"),
                        new PortMapping("::1", 8081, 81, "tcp")),
                wired("fd68::2", new PortMapping("", 8080, 80, "tcp"), new PortMapping("::1", 8081, 81, "tcp")).bindings());
        assertEquals("[::]:8080->80/tcp", new PortMapping("::", 8080, 80, "tcp").toString());
        assertEquals(List.of(new PortMapping("", 8080, 80, "tcp")), wired(null, new PortMapping("", 8080, 80, "tcp")).bindings());
    }
}
