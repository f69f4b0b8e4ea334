package dev.hutch.net.ipam;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CidrTest {

    @Test
    void parsesAndComputesTheRange() {
        Cidr c = Cidr.parse("--subnet", "10.199.0.0/16");
        assertEquals("10.199.0.0/16", c.toString());
        assertEquals("10.199.0.1", Ipv4.format(c.firstHost()));
        assertEquals("10.199.255.254", Ipv4.format(c.lastHost()));
        assertEquals("10.199.255.255", Ipv4.format(c.broadcast()));
        assertEquals(65536, c.size());
        assertTrue(c.isHost(Ipv4.parse("10.199.3.4")));
        assertFalse(c.isHost(Ipv4.parse("10.199.0.0")));
        assertFalse(c.isHost(Ipv4.parse("10.199.255.255")));
        assertFalse(c.contains(Ipv4.parse("10.200.0.1")));
    }

    @Test
    void highAddressesDoNotTripOnSignedInts() {
        Cidr c = Cidr.parse("--subnet", "192.168.10.0/24");
        assertEquals("192.168.10.254", Ipv4.format(c.lastHost()));
        assertTrue(c.isHost(Ipv4.parse("192.168.10.200")));
        assertEquals("0.0.0.0/0", Cidr.parse("x", "0.0.0.0/0").toString());
        assertTrue(Cidr.parse("x", "0.0.0.0/0").contains(Ipv4.parse("255.1.2.3")));
    }

    @Test
    void overlap() {
        Cidr big = Cidr.parse("x", "10.199.0.0/16");
        assertTrue(big.overlaps(Cidr.parse("x", "10.199.7.0/24")));
        assertTrue(Cidr.parse("x", "10.199.7.0/24").overlaps(big));
        assertFalse(big.overlaps(Cidr.parse("x", "10.200.0.0/24")));
        assertFalse(Cidr.parse("x", "10.0.0.0/25").overlaps(Cidr.parse("x", "10.0.0.128/25")));
    }

    @Test
    void refusesBadInputWithTheFieldAndValue() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Cidr.parse("--subnet", "10.1.2.3/24"));
        assertEquals("--subnet: \"10.1.2.3/24\" has host bits set (did you mean 10.1.2.0/24?)", e.getMessage());
        assertThrows(InvalidSpecException.class, () -> Cidr.parse("--subnet", "10.1.2.0"));
        assertThrows(InvalidSpecException.class, () -> Cidr.parse("--subnet", "10.1.2.0/33"));
        assertThrows(InvalidSpecException.class, () -> Cidr.parse("--subnet", "10.1.256.0/24"));
        assertThrows(InvalidSpecException.class, () -> Cidr.parse("--subnet", "a.b.c.d/8"));
        assertNull(Ipv4.parseOrNull("1.2.3"));
        assertNull(Ipv4.parseOrNull("1.2.3.4.5"));
        assertNull(Ipv4.parseOrNull("01234.1.1.1"));
        assertTrue(Ipv4.isLoopback("127.0.0.53"));
        assertFalse(Ipv4.isLoopback("10.0.0.1"));
    }
}
