package dev.hutch.net.names;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --dns/--dns-search/--dns-option over the host's resolv.conf, and --add-host lines kept across rewrites. Pure. */
class EtcOverridesTest {
    static final String HOST = "nameserver 10.0.0.1\nsearch host.example\noptions edns0\n";

    @Test
    void eachGivenListReplacesOnlyItsOwnKindOfLine() {
        assertEquals(HOST, ResolvConf.withOverrides(HOST, List.of(), List.of(), List.of()));
        assertEquals("search host.example\noptions edns0\nnameserver 10.9.9.9\n",
                ResolvConf.withOverrides(HOST, List.of("10.9.9.9"), List.of(), List.of()));
        assertEquals("nameserver 10.0.0.1\noptions edns0\n", ResolvConf.withOverrides(HOST, List.of(), List.of("."), List.of()));
        assertEquals("nameserver 10.0.0.1\nsearch host.example\noptions ndots:2 timeout:1\n",
                ResolvConf.withOverrides(HOST, List.of(), List.of(), List.of("ndots:2", "timeout:1")));
    }

    @Test
    void addHostLinesSitBeforeThePeersAndSurviveTheirRewrites() {
        String own = HostsFile.render(List.of(new HostsFile.Entry("10.1.0.2", List.of("web"))), List.of(), "web");
        String withExtra = HostsFile.withExtraHosts(own, List.of(new HostsFile.Entry("10.5.5.5", List.of("db"))));
        String withPeers = HostsFile.withPeers(withExtra, List.of(new HostsFile.Entry("10.1.0.3", List.of("api"))));
        assertEquals(own + "# --add-host\n10.5.5.5\tdb\n" + HostsFile.PEERS_MARKER + "10.1.0.3\tapi\n", withPeers);
        assertEquals(List.of(new HostsFile.Entry("10.5.5.5", List.of("db"))), HostsFile.extraHostsOf(withPeers));
        // a full re-render (network connect) keeps them when given back
        String rerendered = HostsFile.withExtraHosts(own, HostsFile.extraHostsOf(withPeers));
        assertEquals(withExtra, rerendered);
    }
}
