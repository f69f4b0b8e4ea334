package dev.hutch.net.store;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.config.EngineConfig;
import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NetworkStoreTest {
    @TempDir Path tmp;

    NetworkStore store() {
        return new NetworkStore(EngineConfig.defaults().withRunRoot(tmp.resolve("run")).withLibRoot(tmp.resolve("lib")));
    }

    @Test
    void theDefaultNetworkComesFromTheConfig() {
        NetworkConfig d = store().defaultNetwork();
        assertEquals("bridge", d.name());
        assertEquals("hutch0", d.bridge());
        assertEquals("10.199.0.0/16", d.subnet());
        assertEquals("10.199.0.1", d.gateway());
        assertFalse(d.userDefined());
        assertEquals(d, store().require("bridge"));
    }

    @Test
    void createsListsAndDeletes() {
        NetworkStore s = store();
        NetworkConfig web = s.create("web", "10.200.5.0/24", null, 0);
        assertEquals("10.200.5.1", web.gateway());
        assertEquals("hutch-web", web.bridge());
        assertEquals(1500, web.mtu());
        NetworkConfig auto = s.create("a-rather-long-network-name", null, null, 9000);
        assertEquals("10.200.0.0/24", auto.subnet(), "first free /24 of the pool");
        assertTrue(auto.bridge().matches("hutch-[0-9a-f]{9}"), auto.bridge());
        assertTrue(auto.bridge().length() <= 15);
        NetworkConfig next = s.create("third", null, "10.200.1.254", 0);
        assertEquals("10.200.1.0/24", next.subnet());
        assertEquals("10.200.1.254", next.gateway());
        assertEquals(List.of("bridge", "a-rather-long-network-name", "third", "web"), s.list().stream().map(NetworkConfig::name).toList());
        assertEquals(web, s.require("web"));
        s.delete(web);
        assertThrows(NotFoundException.class, () -> s.require("web"));
    }

    @Test
    void refusesOverlapsDuplicatesAndBadValues() {
        NetworkStore s = store();
        s.create("one", "10.200.5.0/24", null, 0);
        InvalidSpecException overlap = assertThrows(InvalidSpecException.class, () -> s.create("two", "10.200.0.0/16", null, 0));
        assertEquals("--subnet: \"10.200.0.0/16\" overlaps network one (10.200.5.0/24); pick a subnet outside it", overlap.getMessage());
        assertThrows(InvalidSpecException.class, () -> s.create("two", "10.199.3.0/24", null, 0), "inside the default network");
        HutchException dup = assertThrows(HutchException.class, () -> s.create("one", "10.201.0.0/24", null, 0));
        assertEquals("network one already exists", dup.getMessage());
        assertThrows(InvalidSpecException.class, () -> s.create("bridge", null, null, 0));
        assertThrows(InvalidSpecException.class, () -> s.create("host", null, null, 0));
        assertThrows(InvalidSpecException.class, () -> s.create("-x", null, null, 0));
        assertThrows(InvalidSpecException.class, () -> s.create("a/b", null, null, 0));
        assertThrows(InvalidSpecException.class, () -> s.create("two", "10.201.0.0/24", "10.202.0.1", 0));
        assertThrows(InvalidSpecException.class, () -> s.create("two", "10.201.0.0/24", "10.201.0.255", 0));
        assertThrows(InvalidSpecException.class, () -> s.create("two", "10.201.0.0/31", null, 0));
        assertThrows(InvalidSpecException.class, () -> s.create("two", "10.201.0.0/24", null, 20));
    }

    @Test
    void bridgeNamesNeverCollide() {
        List<NetworkConfig> existing = List.of(new NetworkConfig("x", "0", "10.1.0.0/24", "10.1.0.1", "hutch-web", 1500, true, null));
        assertEquals("hutch-123456789", NetworkStore.bridgeName("web", "123456789abc", existing));
        assertEquals("hutch-db", NetworkStore.bridgeName("db", "123456789abc", existing));
        assertEquals("hutch-123456789", NetworkStore.bridgeName("Web", "123456789abc", existing), "upper case is not a plain name");
    }
}
