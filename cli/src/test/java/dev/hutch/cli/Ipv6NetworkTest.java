package dev.hutch.cli;

import dev.hutch.config.EngineConfig;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.logs.LogEntry;
import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkLeaks;
import dev.hutch.net.Networks;
import dev.hutch.net.ipam.Ipv6;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.Mount;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 17 part 2: IPv6 on user networks, observed from outside. Addresses and routes read from
 * inside the containers' namespaces with the host's {@code ip}, reachability between two
 * containers by name over IPv6, a published port answering on the host's own IPv6 address, and
 * ip6tables read with {@code ip6tables-save} before and after {@code network rm}.
 *
 * <p>Everything carries the test's tag: IPv6 subnets fd68:7574:6368:TAG::/64 (never the host's
 * own prefix), IPv4 subnets 10.226/10.225.N.0/24, its own default bridge name. Traffic goes only
 * between the test's containers, and from the host to its own address (delivered locally, then
 * DNAT'd into the test's namespace).
 */
@RequiresRoot
@RequiresCommand({"ip6tables", "ip6tables-save", "nsenter", "ip", "busybox"})
class Ipv6NetworkTest {
    static TestRoots roots;
    static EngineConfig config;
    static Engine engine;
    static Networks networks;
    static String tag;
    static int octet;
    static final ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        tag = roots.tag();
        octet = Integer.parseInt(tag.substring(0, 2), 16);
        config = roots.config().withBridge("hutchs" + tag, "10.227." + octet + ".0/24");
        engine = Engines.forHost(config);
        networks = new Networks(engine.networking());
    }

    @AfterAll
    static void tearDown() {
        try {
            if (engine != null) {
                for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
                for (NetworkConfig n : networks.list()) if (n.userDefined()) networks.remove(n.name());
                List<String> ours = NetworkLeaks.find(config).stream().filter(Ipv6NetworkTest::isOurs).toList();
                assertEquals(List.of(), ours, "the test left network state behind");
            }
        } finally {
            if (roots != null) roots.close();
        }
    }

    static boolean isOurs(String leak) {
        if (leak.contains(tag) || leak.startsWith("lease ")) return true;
        for (String id : started) if (leak.contains("hv" + id.substring(0, 10)) || leak.contains("hutch:" + id)) return true;
        return false;
    }

    // ---------------------------------------------------------------- helpers

    /** fd68:7574:6368:TAG::/64, TAG being the first four hex digits of the test's tag. */
    static String subnet6(int n) { return "fd68:7574:6368:" + tag.substring(0, 3) + n + "::/64"; }

    static NetworkConfig dualStack(String name, int n) {
        return networks.create(name + tag, List.of("10.22" + (6 - n) + "." + octet + ".0/24", subnet6(n)), List.of(), 0, true);
    }

    static Started run(ContainerSpec spec) {
        Started s = engine.run(spec, true);
        started.add(s.id());
        return s;
    }

    static ContainerSpec.Builder busybox(String name, String... cmd) {
        return ContainerSpec.builder("busybox").name(name + "-" + tag).command(cmd);
    }

    static String host(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not finish: " + List.of(argv));
        assertEquals(0, p.exitValue(), List.of(argv) + " failed: " + out);
        return out;
    }

    /** A host tool inside a container's network namespace only. */
    static String inNetns(long pid, String... cmd) throws Exception {
        return host(dev.hutch.net.netns.NetnsLister.debugCommand(pid, List.of(cmd)).toArray(String[]::new));
    }

    static String stdout(String id) {
        return engine.logs(id).read(-1, null).stream().filter(e -> e.stream().equals("stdout"))
                .map(LogEntry::text).collect(Collectors.joining());
    }

    static Endpoint endpoint(String ref) { return engine.inspect(ref).network().endpoints().get(0); }

    static Mount site(String content) throws Exception {
        Path www = Files.createDirectories(roots.dir().resolve("www6-" + content.hashCode()));
        Files.writeString(www.resolve("index.html"), content);
        return Mount.bind(www.toString(), "/www", true);
    }

    /** A global IPv6 address the host has on a link hutch did not make, or null. */
    static String hostGlobalIpv6() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/net/if_inet6"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[3].equals("00") || f[5].startsWith("hutch") || f[5].startsWith("hv")) continue;
            String hex = f[0];
            return Ipv6.format(new long[] {Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16)});
        }
        return null;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void twoContainersReachEachOtherByNameOverIpv6() throws Exception {
        NetworkConfig n = dualStack("a", 1);
        String page = "hello over v6 " + tag;
        Started web = run(busybox("web", "httpd", "-f", "-p", "80", "-h", "/www").network(n.name()).mount(site(page)).build());
        String web6 = endpoint(web.id()).ip6();
        assertNotNull(web6, "the container on a dual-stack network has an IPv6 address");
        // ping -6 resolves the name to its IPv6 address (the AAAA line of /etc/hosts); wget then
        // fetches over IPv6 only, by the literal address the name resolved to
        Started client = run(busybox("client", "sh", "-c",
                "for i in $(seq 50); do ping -6 -c1 -W1 web-" + tag + " && wget -q -O- http://[" + web6 + "]:80/ && exit 0;"
                        + " sleep 0.1; done; exit 1").network(n.name()).build());
        assertEquals(0, engine.waitFor(client.id()), "ping -6 by name or wget over IPv6 failed: " + stdout(client.id()));
        String out = stdout(client.id());
        assertTrue(out.contains("PING web-" + tag + " (" + web6 + ")"), "the name resolved to the IPv6 address: " + out);
        assertTrue(out.endsWith(page), out);
        String hosts = Files.readString(Path.of("/proc/" + web.state().pid() + "/root/etc/hosts"));
        Endpoint c = endpoint(client.id());
        assertTrue(hosts.lines().anyMatch(l -> l.startsWith(c.ip() + "\t") && l.contains("client-" + tag)), hosts);
        assertTrue(hosts.lines().anyMatch(l -> l.startsWith(c.ip6() + "\t") && l.contains("client-" + tag)),
                "the peer's hosts file has the IPv6 line too: " + hosts);
        engine.remove(client.id(), true, true);
        engine.remove(web.id(), true, true);
    }

    @Test
    void theAddressGatewayAndRouteAreSetAndUsableAtOnce() throws Exception {
        NetworkConfig n = dualStack("b", 2);
        Started s = run(busybox("addr", "sleep", "30").network(n.name()).build());
        Endpoint e = endpoint(s.id());
        assertEquals(n.subnet6().replace("::/64", "::2"), e.ip6(), "the IPv6 twin of the first IPv4 lease " + e.ip());
        String addr = inNetns(s.state().pid(), "ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "global");
        assertTrue(addr.contains("inet6 " + e.ip6() + "/64"), addr);
        assertFalse(addr.contains("tentative"), "duplicate address detection is off: the address is usable now: " + addr);
        assertEquals("0\n", inNetns(s.state().pid(), "cat", "/proc/sys/net/ipv6/conf/eth0/accept_dad"));
        assertEquals("0\n", inNetns(s.state().pid(), "cat", "/proc/sys/net/ipv6/conf/eth0/disable_ipv6"));
        String route = inNetns(s.state().pid(), "ip", "-6", "route", "show", "default");
        assertTrue(route.contains("via " + n.gateway6() + " dev eth0"), route);
        assertTrue(host("ip", "-6", "-o", "addr", "show", "dev", n.bridge()).contains("inet6 " + n.gateway6() + "/64"),
                "the bridge holds the IPv6 gateway");
        // the container reaches its gateway (the host's bridge) over IPv6 at once
        inNetns(s.state().pid(), "busybox", "ping", "-6", "-c", "1", "-W", "2", n.gateway6());
        Map<String, Object> settings = Views.networkSettings(engine.inspect(s.id()));
        assertEquals(e.ip6(), settings.get("GlobalIPv6Address"));
        assertEquals(n.gateway6(), settings.get("IPv6Gateway"));
        assertEquals(Boolean.TRUE, networks.inspect(n.name()).get("enableIPv6"));
        engine.remove(s.id(), true, true);
    }

    /** GET http://[::1]:port/path, retried while the container starts; null if it never answers. */
    static String getLoopback6(int port, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://[::1]:" + port + path)).timeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 50; i++) {
            try {
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return r.body();
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** Whether a socket listens on [::1]:port in the host's namespace (/proc/net/tcp6, state 0A). */
    static boolean listensOnLoopback6(int port) throws Exception {
        String local = "00000000000000000000000001000000:" + String.format("%04X", port);
        return Files.readAllLines(Path.of("/proc/net/tcp6")).stream().map(l -> l.trim().split("\\s+"))
                .anyMatch(f -> f.length > 3 && f[1].equals(local) && f[3].equals("0A"));
    }

    @Test
    void publishedPortsAnswerOnIpv6LoopbackThroughTheMonitor() throws Exception {
        NetworkConfig n = dualStack("lo", 6);
        String page = "loopback v6 " + tag;
        Mount www = site(page);
        // a body far larger than the proxy's 16 KiB buffers: every byte copied, in order
        String big = "0123456789abcdef".repeat(64 * 1024);
        Files.writeString(Path.of(www.source()).resolve("big.txt"), big);
        int all = freePort(), only = freePort();
        Started web = run(busybox("lo6", "httpd", "-f", "-p", "80", "-h", "/www").network(n.name()).mount(www)
                .port(new PortMapping("", all, 80, "tcp")).build());
        Started web2 = run(busybox("lo6only", "httpd", "-f", "-p", "80", "-h", "/www").network(n.name()).mount(www)
                .port(new PortMapping("::1", only, 80, "tcp")).build());

        assertEquals(page, getLoopback6(all, "/"), "-p " + all + ":80 answers on [::1]");
        assertEquals(big, getLoopback6(all, "/big.txt"), "a 1 MiB body comes through the proxy whole");
        assertEquals(page, getLoopback6(only, "/"), "-p [::1]:" + only + ":80 answers on [::1]");
        assertTrue(listensOnLoopback6(all) && listensOnLoopback6(only), "the monitors listen on [::1]");
        // shown as docker shows it: the port on all addresses is two bindings, [::1] one
        HutchProcess.Result port = HutchProcess.runShown(roots.environment(), "port", "lo6-" + tag);
        assertEquals("80/tcp -> 0.0.0.0:" + all + "\n80/tcp -> [::]:" + all, port.out().trim(), port.err());
        HutchProcess.Result ps = HutchProcess.runShown(roots.environment(), "ps", "--format", "{{.Names}} {{.Ports}}");
        assertTrue(ps.out().contains("lo6-" + tag + " 0.0.0.0:" + all + "->80/tcp, [::]:" + all + "->80/tcp"), ps.out());
        assertTrue(ps.out().contains("lo6only-" + tag + " [::1]:" + only + "->80/tcp"), ps.out());
        String rules = host("ip6tables-save");
        assertFalse(rules.contains("-d ::1/128 -p tcp -m tcp --dport " + only), "no DNAT for [::1]: " + rules);
        assertTrue(rules.contains("! -d ::1/128 -p tcp -m tcp --dport " + all), "the [::] DNAT leaves ::1 to the proxy: " + rules);
        // half-close: the client ends its side first; the whole answer still comes back
        try (java.net.Socket sock = new java.net.Socket("::1", all)) {
            sock.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            sock.shutdownOutput();
            sock.setSoTimeout(5000);
            String answer = new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.") && answer.endsWith(page), answer);
        }

        engine.remove(web.id(), true, true);
        engine.remove(web2.id(), true, true);
        assertFalse(listensOnLoopback6(all), "the [::1] listener went with the container");
        assertFalse(listensOnLoopback6(only), "the [::1] listener went with the container");
        assertFalse(host("ip6tables-save").contains("hutch:" + web.id()), "the container's ip6tables rules are gone");
        networks.remove(n.name());
    }

    @Test
    void aPublishedPortAnswersOverIpv6AndItsRulesGoWithTheNetwork() throws Exception {
        String own6 = hostGlobalIpv6();
        org.junit.jupiter.api.Assumptions.assumeTrue(own6 != null,
                "SKIPPED: the host has no global IPv6 address to connect to its published port from");
        NetworkConfig n = dualStack("c", 3);
        String page = "published v6 " + tag;
        int port = freePort();
        Started web = run(busybox("pub", "httpd", "-f", "-p", "80", "-h", "/www").network(n.name()).mount(site(page))
                .port(new PortMapping("", port, 80, "tcp")).build());
        String web6 = endpoint(web.id()).ip6();
        String rules = host("ip6tables-save");
        assertTrue(rules.contains("--to-destination [" + web6 + "]:80"), rules);
        assertTrue(rules.contains("-A HUTCH-POSTROUTING -s " + n.subnet6() + " ! -o " + n.bridge()), "outbound masquerade: " + rules);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://[" + own6 + "]:" + port + "/")).timeout(Duration.ofSeconds(3)).build();
        String body = null;
        for (int i = 0; i < 50 && body == null; i++) {
            try {
                body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        assertEquals(page, body, "the published port answers on the host's IPv6 address " + own6);

        // (UDP on [::1] is served by the monitor's proxy too: Ipv6EndpointsTest)

        engine.remove(web.id(), true, true);
        assertFalse(host("ip6tables-save").contains("hutch:" + web.id()), "the container's ip6tables rules are gone");
        assertTrue(host("ip6tables-save").contains("hutch-net:" + n.bridge()), "the network's rules stay while it exists");
        networks.remove(n.name());
        String after = host("ip6tables-save");
        assertFalse(after.contains("hutch-net:" + n.bridge()), "network rm removed its ip6tables rules: " + after);
        assertFalse(after.contains(n.subnet6()), after);
    }

    @Test
    void badIpv6InputIsRefusedWithOneLineAndNothingLeft() throws Exception {
        Path nets = config.networksDir();
        List<List<String>> bad = List.of(
                List.of("fd68:7574:6368:1::/48"),                         // shorter than /64
                List.of("fd68:7574:6368:1::5/64"),                        // host bits
                List.of("fe80::/64"),                                     // link-local
                List.of("fd68:7574:6368:1::/64", "fd68:7574:6368:2::/64"), // two IPv6 subnets
                List.of("10.224.0.0/16", "fd68:7574:6368:1::/120"));     // fewer addresses than the IPv4 side
        for (List<String> subnets : bad) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> networks.create("bad" + tag, subnets, List.of(), 0, true), subnets.toString());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("--subnet"), e.getMessage());
        }
        // an IPv6 subnet without --ipv6, and a gateway outside the subnet
        assertThrows(InvalidSpecException.class, () -> networks.create("bad" + tag, List.of(subnet6(4)), List.of(), 0, false));
        assertThrows(InvalidSpecException.class, () -> networks.create("bad" + tag, List.of(subnet6(4)),
                List.of("fd68:7574:6368:ffff::1"), 0, true));
        // the host's own IPv6 prefix (a bridge route into it would steal the host's traffic)
        String own6 = hostGlobalIpv6();
        if (own6 != null) {
            String prefix = Ipv6.format(new long[] {Ipv6.parse(own6)[0], 0}) + "/64";
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> networks.create("bad" + tag, List.of(prefix), List.of(), 0, true));
            assertTrue(e.getMessage().contains("host's own address"), e.getMessage());
        }
        NetworkConfig first = dualStack("d", 5);
        InvalidSpecException overlap = assertThrows(InvalidSpecException.class, () -> networks.create("bad" + tag,
                List.of("10.221." + octet + ".0/24", subnet6(5)), List.of(), 0, true));
        assertTrue(overlap.getMessage().contains("overlaps network " + first.name()), overlap.getMessage());
        assertFalse(Files.exists(nets.resolve("bad" + tag)), "no refused network was stored");
        assertTrue(networks.list().stream().noneMatch(x -> x.name().equals("bad" + tag)));
        networks.remove(first.name());
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
