package dev.hutch.net.ipam;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** IPv6 addresses and subnets of dual-stack networks, and the IPv6 twins the lease store hands out. */
class Ipv6Test {
    @TempDir Path tmp;

    @Test
    void formatsInTheShortForm() {
        assertEquals("fd68:7574:6368:9::2", Ipv6.format(Ipv6.parse("fd68:7574:6368:0009:0000:0000:0000:0002")));
        assertEquals("::1", Ipv6.format(Ipv6.parse("0:0:0:0:0:0:0:1")));
        assertEquals("::", Ipv6.format(new long[] {0, 0}));
        assertEquals("fd00:0:1:0:1::1", Ipv6.format(Ipv6.parse("fd00:0:1:0:1:0:0:1")), "the longest zero run");
        assertEquals("2001:db8::1:0:0:1", Ipv6.format(Ipv6.parse("2001:db8:0:0:1:0:0:1")), "the first on a tie");
        assertNull(Ipv6.parseOrNull("10.0.0.1"));
        assertNull(Ipv6.parseOrNull("localhost"), "never a name lookup");
        assertNull(Ipv6.parseOrNull("fd00::g"));
    }

    @Test
    void parsesSubnetsAndRefusesWhatCannotWork() {
        Ipv6Cidr c = Ipv6Cidr.parse("--subnet", "fd68:7574:6368:9::/64");
        assertEquals("fd68:7574:6368:9::/64", c.toString());
        assertEquals("fd68:7574:6368:9::7", Ipv6.format(c.hostAt(7)));
        assertTrue(c.contains(Ipv6.parse("fd68:7574:6368:9:ffff::1")));
        assertFalse(c.contains(Ipv6.parse("fd68:7574:6368:a::1")));
        for (String bad : List.of("fd68::/48", "fd68::/121", "fd68::5/64", "fe80::/64", "ff02::/64", "::/64", "fd68::", "zz::/64"))
            assertThrows(InvalidSpecException.class, () -> Ipv6Cidr.parse("--subnet", bad), bad);
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Ipv6Cidr.parse("--subnet", "fd68::1/64"));
        assertTrue(e.getMessage().contains("did you mean fd68::/64"), e.getMessage());
    }

    @Test
    void overlapsAcrossPrefixLengths() {
        Ipv6Cidr a = Ipv6Cidr.parse("s", "fd68::/64"), b = Ipv6Cidr.parse("s", "fd68::100/120"), c = Ipv6Cidr.parse("s", "fd68:0:0:1::/64");
        assertTrue(a.overlaps(b) && b.overlaps(a));
        assertFalse(a.overlaps(c));
        assertTrue(b.overlapsAddress(Ipv6.parse("fd68::2"), 64), "a host /64 address covers the /120");
        assertTrue(a.overlapsAddress(Ipv6.parse("fd68::2"), 48));
        assertFalse(c.overlapsAddress(Ipv6.parse("fd68::2"), 64));
        assertFalse(b.overlapsAddress(Ipv6.parse("fd68::2"), 128), "a /128 outside the /120");
    }

    @Test
    void aLeaseCarriesTheTwinOfItsIpv4AddressAndSkipsTheIpv6Gateway() {
        Cidr v4 = Cidr.parse("s", "10.9.0.0/24");
        Ipv6Cidr v6 = Ipv6Cidr.parse("s", "fd68::/64");
        // the IPv6 gateway at offset 3: 10.9.0.3 is never handed out, its twin being the gateway
        LeaseStore s = new LeaseStore(tmp.resolve("n"), v4, v4.firstHost(), v6, Ipv6.parse("fd68::3"), id -> true, 0);
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Lease l = s.allocate(new Lease(null, "c" + i, "n" + i, "h", List.of()), null);
            got.add(l.ip() + " " + l.ip6());
        }
        assertEquals(List.of("10.9.0.2 fd68::2", "10.9.0.4 fd68::4", "10.9.0.5 fd68::5"), got);
        assertThrows(InvalidSpecException.class, () -> s.allocate(new Lease(null, "x", "x", "h", List.of()), "10.9.0.3"));
        assertEquals("fd68::5", Lease.fromJson(dev.hutch.json.Json.write(s.leases().stream()
                .filter(l -> l.ip().equals("10.9.0.5")).findFirst().orElseThrow())).ip6(), "stored in the lease file");
        LeaseStore v4only = new LeaseStore(tmp.resolve("m"), v4, v4.firstHost(), id -> true, 0);
        assertNull(v4only.allocate(new Lease(null, "y", "y", "h", List.of()), null).ip6());
    }
}
