package dev.hutch.net.names;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NamesTest {

    @Test
    void hostsFileWithOwnAddressAndPeers() {
        String text = HostsFile.render(
                List.of(new HostsFile.Entry("10.200.0.2", HostsFile.names("web", "web", null))),
                List.of(new HostsFile.Entry("10.200.0.3", List.of("db", "3f2a", "database"))), "web");
        assertEquals("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                10.200.0.2\tweb
                # other containers on the same networks (rewritten by hutch when they come and go)
                10.200.0.3\tdb 3f2a database
                """, text);
    }

    @Test
    void withoutAnAddressTheHostnameIsOnLoopback() {
        String text = HostsFile.render(List.of(), List.of(), "3f2a9b web");
        assertTrue(text.endsWith("127.0.1.1\t3f2a9b web\n"), text);
    }

    @Test
    void peersAreReplacedAndOwnLinesKept() {
        String before = HostsFile.render(List.of(new HostsFile.Entry("10.200.0.2", List.of("web"))),
                List.of(new HostsFile.Entry("10.200.0.3", List.of("db"))), null);
        String after = HostsFile.withPeers(before, List.of(new HostsFile.Entry("10.200.0.4", List.of("cache"))));
        assertTrue(after.contains("10.200.0.2\tweb\n"));
        assertFalse(after.contains("db"));
        assertTrue(after.endsWith("10.200.0.4\tcache\n"));
        String none = HostsFile.withPeers(after, List.of());
        assertFalse(none.contains(HostsFile.PEERS_MARKER));
        assertEquals(HostsFile.withPeers(none, List.of(new HostsFile.Entry("10.200.0.4", List.of("cache")))), after);
    }

    @Test
    void resolvConfDropsLoopbackNameservers() {
        assertEquals("nameserver 10.255.255.53\nsearch example.org\noptions ndots:2\n", ResolvConf.filter("""
                # written by someone
                nameserver 127.0.0.53
                nameserver 10.255.255.53
                nameserver ::1
                search example.org
                options ndots:2
                """));
        String onlyLoopback = ResolvConf.filter("nameserver 127.0.0.53\nsearch lan\n");
        assertFalse(onlyLoopback.lines().anyMatch(l -> l.startsWith("nameserver")), "no invented public resolver");
        assertTrue(onlyLoopback.startsWith("#"));
        assertEquals("", ResolvConf.filter(""));
    }
}
