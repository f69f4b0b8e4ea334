package dev.hutch.net.netlink;

import dev.hutch.net.ipam.Ipv6;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The IPv6 requests of dual-stack networks, byte for byte, written field by field as in {@link NetlinkMessageTest}. */
class NetlinkIpv6MessageTest {

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    private static String fields(String... parts) { return String.join("", parts).replace(" ", ""); }

    @Test
    void newAddress6WithoutDuplicateAddressDetection() {
        String expected = fields(
                "48000000 1400 0506 02000000 00000000",        // len 72, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                "0a 40 00 00 07000000",                        // ifaddrmsg: AF_INET6, /64, flags 0, scope universe, index 7
                "1400 0200 fd680000000000000000000000000002",  // IFA_LOCAL fd68::2
                "1400 0100 fd680000000000000000000000000002",  // IFA_ADDRESS fd68::2
                "0800 0800 02000000");                         // IFA_FLAGS IFA_F_NODAD
        assertEquals(expected, hex(RouteRequests.newAddress6(7, Ipv6.bytes(Ipv6.parse("fd68::2")), 64).build(2)));
    }

    @Test
    void defaultRoute6() {
        String expected = fields(
                "38000000 1800 0506 03000000 00000000",        // len 56, RTM_NEWROUTE
                "0a 00 00 00 fe 03 00 01 00000000",            // rtmsg: AF_INET6, dst_len 0, table main, proto boot, scope universe, unicast
                "1400 0500 fd680000000000000000000000000001",  // RTA_GATEWAY fd68::1
                "0800 0400 03000000");                         // RTA_OIF 3
        assertEquals(expected, hex(RouteRequests.newDefaultRoute6(Ipv6.bytes(Ipv6.parse("fd68::1")), 3).build(3)));
    }
}
