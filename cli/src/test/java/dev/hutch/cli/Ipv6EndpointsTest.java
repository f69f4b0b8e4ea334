package dev.hutch.cli;

import dev.hutch.config.EngineConfig;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkLeaks;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.Mount;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 17, the IPv6 gaps after part 2, observed from outside: UDP published ports answered on
 * {@code [::1]} by the monitor's proxy (a flow per client), {@code --ip6} (the address seen in the
 * container's namespace, docker's checks as one line and exit 125 with nothing left), and the IPv6
 * default route of a container whose first network is IPv4-only (read in its namespace, used to
 * reach a peer by its IPv6 address).
 *
 * <p>Everything carries the test's tag: IPv6 subnets fd68:7574:6368:TAG7::/64 and TAG8, IPv4
 * subnets 10.219/10.218.N.0/24. Traffic goes only between the test's containers and from the host's
 * loopback to its own [::1] (the monitor's proxy, then the test's namespace). The UDP echo is a
 * static probe built with gcc (busybox's nc has no UDP here).
 */
@RequiresRoot
@RequiresCommand({"ip6tables-save", "nsenter", "ip", "busybox", "gcc"})
class Ipv6EndpointsTest {
    static TestRoots roots;
    static EngineConfig config;
    static Engine engine;
    static Networks networks;
    static String tag;
    static int octet;
    static Path udpEcho;
    static final ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        tag = roots.tag();
        octet = Integer.parseInt(tag.substring(0, 2), 16);
        config = roots.config().withBridge("hutche" + tag, "10.217." + octet + ".0/24");
        engine = Engines.forHost(config);
        networks = new Networks(engine.networking());
        Path src = roots.dir().resolve("udp-echo.c");
        try (InputStream in = Ipv6EndpointsTest.class.getResourceAsStream("/probe/udp-echo.c")) {
            Files.copy(in, src);
        }
        udpEcho = roots.dir().resolve("udp-echo");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O", "-o", udpEcho.toString(), src.toString()).inheritIO().start();
        assertEquals(0, gcc.waitFor(), "gcc -static of the UDP echo probe");
    }

    @AfterAll
    static void tearDown() {
        try {
            if (engine != null) {
                for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
                for (NetworkConfig n : networks.list()) if (n.userDefined()) networks.remove(n.name());
                List<String> ours = NetworkLeaks.find(config).stream().filter(Ipv6EndpointsTest::isOurs).toList();
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

    static String subnet6(int n) { return "fd68:7574:6368:" + tag.substring(0, 3) + n + "::/64"; }

    static NetworkConfig dualStack(String name, int n) {
        return networks.create(name + tag, List.of("10.219." + octet + ".0/24", subnet6(n)), List.of(), 0, true);
    }

    static NetworkConfig ipv4Only(String name) {
        return networks.create(name + tag, List.of("10.218." + octet + ".0/24"), List.of(), 0, false);
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

    static String inNetns(long pid, String... cmd) throws Exception {
        return host(dev.hutch.net.netns.NetnsLister.debugCommand(pid, List.of(cmd)).toArray(String[]::new));
    }

    static Endpoint endpoint(String ref, int i) { return engine.inspect(ref).network().endpoints().get(i); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("::1"))) {
            return s.getLocalPort();
        }
    }

    /** Sends text to [::1]:port from this socket until an answer comes (the container may still start). */
    static String ask(DatagramSocket client, int port, String text) throws Exception {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        client.setSoTimeout(200);
        for (int i = 0; i < 50; i++) {
            client.send(new DatagramPacket(out, out.length, InetAddress.getByName("::1"), port));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            try {
                client.receive(in);
                assertEquals(port, in.getPort(), "the answer comes from the [::1] port the client wrote to");
                return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                // not up yet, or the datagram was lost: send again
            }
        }
        return null;
    }

    /** Whether a UDP socket is bound to [::1]:port in the host's namespace (/proc/net/udp6). */
    static boolean boundOnLoopback6(int port) throws Exception {
        String local = "00000000000000000000000001000000:" + String.format("%04X", port);
        return Files.readAllLines(Path.of("/proc/net/udp6")).stream().map(l -> l.trim().split("\\s+"))
                .anyMatch(f -> f.length > 1 && f[1].equals(local));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void udpPublishedPortsAnswerOnIpv6LoopbackEachClientItsOwnReply() throws Exception {
        NetworkConfig n = dualStack("u", 7);
        Mount probe = Mount.bind(udpEcho.toString(), "/udp-echo", true);
        int all = freeUdpPort(), only = freeUdpPort();
        Started echo = run(busybox("udp", "/udp-echo", "53").network(n.name()).mount(probe)
                .port(new PortMapping("", all, 53, "udp")).build());
        Started echo2 = run(busybox("udponly", "/udp-echo", "53").network(n.name()).mount(probe)
                .port(new PortMapping("::1", only, 53, "udp")).build());
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getByName("::1"));
             DatagramSocket b = new DatagramSocket(0, InetAddress.getByName("::1"))) {
            assertEquals("echo from-a " + tag, ask(a, all, "from-a " + tag), "-p " + all + ":53/udp answers client a on [::1]");
            assertEquals("echo from-b " + tag, ask(b, all, "from-b " + tag), "and client b, with its own reply");
            // both clients at once: each reply goes back to its own sender, never to the other
            assertEquals("echo again-a", ask(a, all, "again-a"));
            assertEquals("echo again-b", ask(b, all, "again-b"));
            assertEquals("echo only-a " + tag, ask(a, only, "only-a " + tag), "-p [::1]:" + only + ":53/udp answers on [::1]");
        }
        assertTrue(boundOnLoopback6(all) && boundOnLoopback6(only), "the monitors hold [::1] UDP sockets");
        HutchProcess.Result ps = hutch("ps", "--format", "{{.Names}} {{.Ports}}");
        assertTrue(ps.out().contains("udponly-" + tag + " [::1]:" + only + "->53/udp"), ps.out());
        String rules = host("ip6tables-save");
        assertFalse(rules.contains("-d ::1/128 -p udp -m udp --dport " + only), "no DNAT for [::1]: " + rules);
        engine.remove(echo.id(), true, true);
        engine.remove(echo2.id(), true, true);
        assertFalse(boundOnLoopback6(all) || boundOnLoopback6(only), "the [::1] sockets went with the containers");
        networks.remove(n.name());
    }

    @Test
    void ip6GivesTheAddressAskedForAndRefusesBadOnesWithOneLine() throws Exception {
        NetworkConfig n = dualStack("s", 8);
        NetworkConfig v4 = ipv4Only("f");
        String prefix = n.subnet6().replace("::/64", "::");
        String asked = prefix + "a:99";
        HutchProcess.Result ok = hutch("run", "-d", "--name", "fixed-" + tag, "--network", n.name(), "--ip6", asked, "busybox", "sleep", "60");
        assertEquals(0, ok.code(), ok.err());
        started.add(ok.out().trim());
        ContainerState fixed = engine.inspect("fixed-" + tag);
        String addr = inNetns(fixed.pid(), "ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "global");
        assertTrue(addr.contains("inet6 " + asked + "/64"), "the container has the address it asked for: " + addr);
        assertEquals(asked, endpoint(fixed.id(), 0).ip6());

        Path leases = config.networksDir().resolve(n.name()).resolve("leases"), leases6 = leases.resolveSibling("leases6");
        List<String> before = List.of(String.valueOf(listing(leases)), String.valueOf(listing(leases6)));
        String psBefore = hutch("ps", "-a", "-q", "--no-trunc").out();
        List<List<String>> bad = List.of(
                List.of("--network", n.name(), "--ip6", asked),                       // in use
                List.of("--network", n.name(), "--ip6", prefix + "1"),                // the gateway
                List.of("--network", n.name(), "--ip6", "fd68:7574:6368:ffff::5"),    // outside the subnet
                List.of("--network", n.name(), "--ip6", "10.219.0.5"),                // not IPv6
                List.of("--network", v4.name(), "--ip6", prefix + "5"),               // a network without IPv6
                List.of("--ip6", prefix + "5"));                                      // the default bridge
        for (List<String> flags : bad) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--rm", "--name", "bad-" + tag));
            args.addAll(flags);
            args.addAll(List.of("busybox", "true"));
            HutchProcess.Result r = hutch(args.toArray(String[]::new));
            assertEquals(125, r.code(), flags + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), flags + " is refused in one line: " + r.err());
            assertTrue(r.err().contains("--ip6") || r.err().contains("in use"), r.err());
        }
        assertEquals(psBefore, hutch("ps", "-a", "-q", "--no-trunc").out(), "no refused container was left");
        assertEquals(before, List.of(String.valueOf(listing(leases)), String.valueOf(listing(leases6))), "no refused lease was left");
        assertFalse(Files.exists(Path.of("/sys/class/net", config.bridgeName())), "the default bridge was not even made");

        // network connect --ip6: a running container on the IPv4-only network gets the address on eth1
        Started late = run(busybox("late", "sleep", "60").network(v4.name()).build());
        HutchProcess.Result c = hutch("network", "connect", "--ip6", prefix + "b:7", n.name(), "late-" + tag);
        assertEquals(0, c.code(), c.err());
        String eth1 = inNetns(late.state().pid(), "ip", "-6", "-o", "addr", "show", "dev", "eth1", "scope", "global");
        assertTrue(eth1.contains("inet6 " + prefix + "b:7/64"), eth1);
        String route = inNetns(late.state().pid(), "ip", "-6", "route", "show", "default");
        assertTrue(route.contains("via " + n.gateway6() + " dev eth1"), "connect gave the first IPv6 network its gateway: " + route);

        engine.remove(fixed.id(), true, true);
        engine.remove(late.id(), true, true);
        assertEquals(List.of(), listing(leases6), "the --ip6 addresses are released with their containers");
        networks.remove(n.name());
        networks.remove(v4.name());
    }

    @Test
    void aLaterDualStackNetworkGivesTheIpv6DefaultRoute() throws Exception {
        NetworkConfig v4 = ipv4Only("r");
        NetworkConfig n = dualStack("g", 9);
        Started peer = run(busybox("peer", "sleep", "60").network(n.name()).build());
        String peer6 = endpoint(peer.id(), 0).ip6();
        Started two = run(busybox("two", "sleep", "60").network(v4.name()).network(n.name()).build());
        long pid = two.state().pid();
        String route6 = inNetns(pid, "ip", "-6", "route", "show", "default");
        assertTrue(route6.contains("default via " + n.gateway6() + " dev eth1"), "the IPv6 gateway of the second network: " + route6);
        String ipv6Route = Files.readString(Path.of("/proc/" + pid + "/net/ipv6_route"));
        String gatewayHex = hex(n.gateway6());
        assertTrue(ipv6Route.lines().anyMatch(l -> l.startsWith("00000000000000000000000000000000 00 ") && l.contains(gatewayHex)
                && l.trim().endsWith("eth1")), "/proc/net/ipv6_route has the default via the gateway: " + ipv6Route);
        String route4 = inNetns(pid, "ip", "route", "show", "default");
        assertTrue(route4.contains("via " + v4.gateway() + " dev eth0"), "IPv4 keeps the first network's gateway: " + route4);
        // reaches the peer by its IPv6 address, and the gateway through that route
        inNetns(pid, "busybox", "ping", "-6", "-c", "1", "-W", "2", peer6);
        inNetns(pid, "busybox", "ping", "-6", "-c", "1", "-W", "2", n.gateway6());
        engine.remove(two.id(), true, true);
        engine.remove(peer.id(), true, true);
        networks.remove(n.name());
        networks.remove(v4.name());
    }

    static String hex(String ip6) {
        long[] a = dev.hutch.net.ipam.Ipv6.parse(ip6);
        return String.format("%016x%016x", a[0], a[1]);
    }

    static List<String> listing(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
