package dev.hutch.net.netlink;

import dev.hutch.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Decoding real kernel replies (captured on Linux 6.x from hutch's own requests, in src/test/resources). */
class NetlinkParserTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = NetlinkParserTest.class.getResourceAsStream(name)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    @Test
    void decodesABridgeLink() throws IOException {
        byte[] b = fixture("newlink-bridge.hex");
        List<NetlinkParser.Message> ms = NetlinkParser.split(b, b.length);
        assertEquals(1, ms.size());
        assertEquals(Rtnl.RTM_NEWLINK, ms.get(0).type());
        LinkInfo l = NetlinkParser.link(ms.get(0).payload());
        assertEquals("hutchfix0", l.name());
        assertEquals("bridge", l.kind());
        assertEquals(1500, l.mtu());
        assertEquals(0, l.master());
        assertFalse(l.isUp());
        assertEquals("DOWN", l.state());
        assertEquals(17, l.mac().length());
    }

    @Test
    void decodesAnAddressDump() throws IOException {
        byte[] b = fixture("dump-addresses.hex");
        List<NetlinkParser.Message> ms = NetlinkParser.split(b, b.length);
        assertEquals(3, ms.size());
        assertTrue(ms.stream().allMatch(m -> (m.flags() & Rtnl.NLM_F_MULTI) != 0));
        AddressInfo lo = NetlinkParser.address(ms.get(0).payload());
        assertEquals(new AddressInfo(1, "127.0.0.1", 8, "lo"), lo);
        AddressInfo fix = NetlinkParser.address(ms.get(2).payload());
        assertEquals("10.231.7.1/24", fix.cidr());
        assertEquals("hutchfix0", fix.label());
    }

    @Test
    void decodesErrorsWithAndWithoutTheKernelsText() throws IOException {
        byte[] b = fixture("error-eexist.hex");
        NetlinkParser.Message e = NetlinkParser.split(b, b.length).get(0);
        assertTrue(e.isError());
        assertEquals(17, e.errno());
        assertNull(e.extAckMessage());

        byte[] x = fixture("error-extack.hex");
        NetlinkParser.Message m = NetlinkParser.split(x, x.length).get(0);
        assertEquals(22, m.errno());
        assertEquals("mtu less than device minimum", m.extAckMessage());
    }

    @Test
    void ignoresATruncatedTail() {
        byte[] b = new byte[40];
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(0, 100); // claims more than there is
        assertTrue(NetlinkParser.split(b, b.length).isEmpty());
    }

    @Test
    void socketTurnsErrorsIntoExceptionsAndSkipsForeignSequences() throws IOException {
        byte[] eexist = fixture("error-eexist.hex");
        RecordingSyscalls sys = new RecordingSyscalls().respondWith(req -> {
            // answer with the captured EEXIST, re-stamped with the request's sequence number
            byte[] copy = eexist.clone();
            ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putInt(8, ByteBuffer.wrap(req).order(ByteOrder.nativeOrder()).getInt(8));
            return copy;
        });
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            NetlinkException ex = assertThrows(NetlinkException.class, () -> nl.createBridge("hutch0", 1500));
            assertEquals(17, ex.errno());
            assertTrue(ex.getMessage().startsWith("create bridge hutch0 failed: EEXIST"), ex.getMessage());
        }
        assertEquals("socket(16, 524291, 0)", sys.calls.get(0));
        assertTrue(sys.calls.get(sys.calls.size() - 1).startsWith("close("));
    }

    @Test
    void lookupOfAMissingLinkIsEmpty() throws IOException {
        byte[] eexist = fixture("error-eexist.hex");
        RecordingSyscalls sys = new RecordingSyscalls().respondWith(req -> {
            ByteBuffer r = ByteBuffer.wrap(eexist.clone()).order(ByteOrder.nativeOrder());
            r.putInt(8, ByteBuffer.wrap(req).order(ByteOrder.nativeOrder()).getInt(8));
            r.putInt(16, -19); // ENODEV
            return r.array();
        });
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            assertTrue(nl.link("hvnothere0").isEmpty());
            assertFalse(nl.deleteLink("hvnothere0"));
        }
    }
}
