package dev.hutch.net.netlink;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The requests, byte for byte. Each expected value is written field by field from the kernel's
 * structs (little-endian, as on x86-64 and arm64), so a reader can check it against
 * {@code <linux/rtnetlink.h>} without running anything.
 */
class NetlinkMessageTest {

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    private static String fields(String... parts) { return String.join("", parts).replace(" ", ""); }

    @Test
    void newBridge() {
        String expected = fields(
                "44000000 1000 0506 01000000 00000000",      // nlmsghdr: len 68, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 1, pid 0
                "00 00 0000 00000000 00000000 00000000",     // ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
                "0b00 0300 687574636830 00 00",              // IFLA_IFNAME "hutch0\0" + 1 pad
                "0800 0400 dc050000",                        // IFLA_MTU 1500
                "1000 1200",                                 // IFLA_LINKINFO (16 bytes)
                "0b00 0100 627269646765 00 00");             //   IFLA_INFO_KIND "bridge\0" + 1 pad
        assertEquals(expected, hex(RouteRequests.newBridge("hutch0", 1500).build(1)));
    }

    @Test
    void newVethWithPeerInAnotherNamespaceByPid() {
        String expected = fields(
                "74000000 1000 0506 04000000 00000000",      // len 116, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 4
                "00 00 0000 00000000 00000000 00000000",     // ifinfomsg
                "0800 0300 68763100",                        // IFLA_IFNAME "hv1\0"
                "0800 0400 dc050000",                        // IFLA_MTU 1500
                "4400 1200",                                 // IFLA_LINKINFO (68)
                "0900 0100 76657468 00 000000",              //   IFLA_INFO_KIND "veth\0" + 3 pad
                "3400 0200",                                 //   IFLA_INFO_DATA (52)
                "3000 0100",                                 //     VETH_INFO_PEER (48): an ifinfomsg, then attributes
                "00 00 0000 00000000 00000000 00000000",     //       peer ifinfomsg
                "0900 0300 65746830 00 000000",              //       IFLA_IFNAME "eth0\0"
                "0800 0400 dc050000",                        //       IFLA_MTU 1500
                "0800 1300 92100000");                       //       IFLA_NET_NS_PID 4242
        assertEquals(expected, hex(RouteRequests.newVeth("hv1", "eth0", 1500, 4242, false, null, 0, false).build(4)));
    }

    @Test
    void newVethWithMacAndNamespaceFd() {
        byte[] m = RouteRequests.newVeth("hv1", "eth0", 0, 7, true, new byte[] {2, 0x48, 10, (byte) 199, 0, 2}, 0, false).build(1);
        String h = hex(m);
        // peer MAC: IFLA_ADDRESS, 6 bytes + 2 pad; then IFLA_NET_NS_FD (28 = 0x1c) 7
        assertEquals(true, h.endsWith(fields("0a00 0100 02480ac70002 0000", "0800 1c00 07000000")), h);
    }

    @Test
    void newVethEnslavedAndUpInOneMessage() {
        String expected = fields(
                "6c000000 1000 0506 01000000 00000000",      // len 108
                "00 00 0000 00000000 01000000 01000000",     // host end: flags IFF_UP, change IFF_UP
                "0800 0300 68763100",                        // IFLA_IFNAME "hv1\0"
                "0800 0a00 05000000",                        // IFLA_MASTER 5
                "3c00 1200",                                 // IFLA_LINKINFO (60)
                "0900 0100 76657468 00 000000",              //   IFLA_INFO_KIND "veth\0"
                "2c00 0200",                                 //   IFLA_INFO_DATA (44)
                "2800 0100",                                 //     VETH_INFO_PEER (40)
                "00 00 0000 00000000 00000000 00000000",     //       peer ifinfomsg: not up (the kernel refuses that here)
                "0900 0300 65746830 00 000000",              //       IFLA_IFNAME "eth0\0"
                "0800 1300 92100000");                       //       IFLA_NET_NS_PID 4242
        assertEquals(expected, hex(RouteRequests.newVeth("hv1", "eth0", 0, 4242, false, null, 5, true).build(1)));
    }

    @Test
    void setLinkMasterAndUp() {
        String expected = fields(
                "28000000 1000 0500 02000000 00000000",      // len 40, RTM_NEWLINK, REQUEST|ACK, seq 2
                "00 00 0000 09000000 01000000 01000000",     // index 9, flags IFF_UP, change IFF_UP
                "0800 0a00 05000000");                       // IFLA_MASTER 5
        assertEquals(expected, hex(RouteRequests.setLink(9, true, 5, 0).build(2)));
    }

    @Test
    void hairpinIsANestedBridgePortAttribute() {
        String expected = fields(
                "2c000000 1300 0500 05000000 00000000",      // len 44, RTM_SETLINK, REQUEST|ACK, seq 5
                "07 00 0000 09000000 00000000 00000000",     // ifinfomsg AF_BRIDGE, index 9
                "0c00 0c80",                                 // IFLA_PROTINFO | NLA_F_NESTED
                "0500 0400 01 000000");                      //   IFLA_BRPORT_MODE 1 (hairpin)
        assertEquals(expected, hex(RouteRequests.setHairpin(9, true).build(5)));
    }

    @Test
    void newAddressWithDerivedBroadcast() {
        String expected = fields(
                "30000000 1400 0506 02000000 00000000",      // len 48, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                "02 10 00 00 07000000",                      // ifaddrmsg: AF_INET, /16, flags 0, scope universe, index 7
                "0800 0200 0ac70001",                        // IFA_LOCAL 10.199.0.1
                "0800 0100 0ac70001",                        // IFA_ADDRESS 10.199.0.1
                "0800 0400 0ac7ffff");                       // IFA_BROADCAST 10.199.255.255
        assertEquals(expected, hex(RouteRequests.newAddress(7, 0x0ac70001, 16).build(2)));
    }

    @Test
    void defaultRoute() {
        String expected = fields(
                "2c000000 1800 0506 03000000 00000000",      // len 44, RTM_NEWROUTE
                "02 00 00 00 fe 03 00 01 00000000",          // rtmsg: AF_INET, dst_len 0, table main, proto boot, scope universe, unicast
                "0800 0500 0ac70001",                        // RTA_GATEWAY 10.199.0.1
                "0800 0400 03000000");                       // RTA_OIF 3
        assertEquals(expected, hex(RouteRequests.newDefaultRoute(0x0ac70001, 3).build(3)));
    }

    @Test
    void getLinkByNameAsksForNoAck() {
        String expected = fields(
                "2c000000 1200 0100 06000000 00000000",      // len 44, RTM_GETLINK, REQUEST only
                "00 00 0000 00000000 00000000 00000000",
                "0900 0300 65746830 00 000000");             // IFLA_IFNAME "eth0\0"
        assertEquals(expected, hex(RouteRequests.getLink("eth0").build(6)));
    }

    @Test
    void dumpsAndDelete() {
        assertEquals(fields("20000000 1200 0103 01000000 00000000", "00 00 0000 00000000 00000000 00000000"),
                hex(RouteRequests.dumpLinks().build(1)));
        assertEquals(fields("18000000 1600 0103 01000000 00000000", "02 00 00 00 00000000"),
                hex(RouteRequests.dumpAddresses().build(1)));
        assertEquals(fields("20000000 1100 0500 01000000 00000000", "00 00 0000 0b000000 00000000 00000000"),
                hex(RouteRequests.delLink(11).build(1)));
    }

    @Test
    void unclosedNestingIsABug() {
        assertThrows(IllegalStateException.class, () -> NetlinkMessage.request(16, 0).begin(18).build(1));
    }

    @Test
    void growsPastItsFirstBuffer() {
        NetlinkMessage m = NetlinkMessage.request(16, 0);
        for (int i = 0; i < 100; i++) m.u32(4, i);
        assertEquals(16 + 800, m.build(1).length);
    }
}
