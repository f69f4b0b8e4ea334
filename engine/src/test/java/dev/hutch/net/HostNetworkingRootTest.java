package dev.hutch.net;

import dev.hutch.config.EngineConfig;
import dev.hutch.net.netns.InNetns;
import dev.hutch.net.netns.NetnsLister;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.PortMapping;
import dev.hutch.sys.Syscalls;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole network path on the real kernel, with "containers" that are {@code unshare -n sleep}
 * processes whose pids this test records and kills. The engine config is private to the test:
 * bridge {@code hutcht<rnd>}, a random /24 in 10.239.0.0/16 (outside hutch0's 10.199.0.0/16: a real hutch0's masquerade rule would match bridged test traffic there), netns files in a temp dir. Traffic
 * goes only to loopback and into these namespaces.
 */
@RequiresRoot
@RequiresCommand({"unshare", "nsenter", "iptables", "ip"})
class HostNetworkingRootTest {
    @TempDir Path tmp;
    private final int rnd = ThreadLocalRandom.current().nextInt(1000, 9999);
    private final int third = ThreadLocalRandom.current().nextInt(100, 250);
    private final List<Process> namespaces = new ArrayList<>();
    private final Map<String, Long> running = new HashMap<>();
    private EngineConfig config;
    private HostNetworking net;

    @BeforeEach
    void setUp() {
        config = new EngineConfig(tmp.resolve("run"), tmp.resolve("lib"), tmp.resolve("cg"), "hutch", Path.of("/proc"),
                tmp.resolve("netns"), "hutcht" + rnd, "10.239." + third + ".0/24");
        net = new HostNetworking(config, running::get);
    }

    @AfterEach
    void tearDown() {
        for (Process p : namespaces) p.destroyForcibly();
        new Networks(net).removeDefaultBridge();
        List<String> mine = ours(NetworkLeaks.find(config));
        assertEquals(List.of(), mine, "the test left these behind");
    }

    /** Leftovers that carry this test's random names (other hutch tests may run at the same time). */
    private List<String> ours(List<String> leaks) {
        return leaks.stream().filter(l -> l.contains("hutcht" + rnd) || l.contains("10.239." + third + ".")
                || l.contains("hutch-t" + rnd) || l.contains(tmp.toString()) || l.contains("hvc" + rnd)).toList();
    }

    /** A fake container: its own network namespace, and a state dir so its leases count as live. */
    private long container(String id) throws Exception {
        Process p = new ProcessBuilder("unshare", "-n", "sleep", "60").start();
        namespaces.add(p);
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        for (int i = 0; i < 200; i++) {
            try {
                if (!Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/ns/net")).toString().equals(host)) break;
            } catch (java.io.IOException ignored) {
                // not yet
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        Files.createDirectories(config.containerStateDir(id));
        Files.createDirectories(config.containerDataDir(id));
        return p.pid();
    }

    /** A one-line TCP server inside the container's namespace (its socket is made on a thread inside it). */
    private ServerSocket serveInside(long pid, int port, String greeting) {
        ServerSocket server = new InNetns(Syscalls.jna()).call("/proc/" + pid + "/ns/net", s -> {
            try {
                ServerSocket ss = new ServerSocket();
                ss.bind(new InetSocketAddress("0.0.0.0", port));
                return ss;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write((greeting + " from " + c.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static String ask(String host, int port) throws Exception {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(host, port), 3000);
            c.setSoTimeout(3000);
            InputStream in = c.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void bridgeContainerWithAPortOnLocalhost() throws Exception {
        String id = "c" + rnd + "aaaaaaaaaaaaaaaa";
        long pid = container(id);
        String name = "t" + rnd;
        ContainerSpec spec = ContainerSpec.builder("busybox").port(PortMapping.parse("127.0.0.1:0:8080")).build();
        NetworkPlan plan = net.prepare(id, name, "h" + rnd, spec);
        long t0 = System.nanoTime();
        NetworkRecord record;
        try {
            record = net.attach(plan, pid);
            System.out.printf("attach (first container: bridge, sysctls, iptables chains, one port) took %.1f ms%n",
                    (System.nanoTime() - t0) / 1e6);
        } catch (RuntimeException e) {
            net.release(id, plan.record());
            throw e;
        }
        try {
            checkPublishedContainer(id, name, pid, record);
        } finally {
            net.release(id, record);
        }
        net.release(id, record); // idempotent
        assertFalse(Files.exists(tmp.resolve("netns/hutch-" + name)));
        assertEquals(List.of(), ours(NetworkLeaks.links(Syscalls.jna())).stream().filter(l -> l.contains("hv")).toList());
        assertFalse(run("iptables-save").contains("hutch:" + id));
        assertTrue(net.store().leases(net.store().defaultNetwork()).leases().isEmpty());
    }

    private void checkPublishedContainer(String id, String name, long pid, NetworkRecord r) throws Exception {
        int hostPort = r.ports().get(0).hostPort();
        assertNotEquals(0, hostPort);
        String ip = r.endpoints().get(0).ip();
        assertEquals("10.239." + third + ".2", ip);

        try (ServerSocket ignored = serveInside(pid, 8080, "hello")) {
            // the host reaches the container's port through 127.0.0.1 (DNAT in OUTPUT + route_localnet + MASQUERADE)
            String reply = ask("127.0.0.1", hostPort);
            assertEquals("hello from 10.239." + third + ".1", reply, "masqueraded to the bridge's address");
            // and straight through the bridge
            assertTrue(ask(ip, 8080).startsWith("hello"));
        }

        // the namespace is exposed: a bind mount that nsenter (like ip netns exec) can enter
        Path nsFile = tmp.resolve("netns/hutch-" + name);
        assertEquals(nsFile.toString(), r.netnsFile());
        String addr = run("nsenter", "--net=" + nsFile, "ip", "-4", "-o", "addr", "show", "eth0");
        assertTrue(addr.contains(ip + "/24"), addr);
        String route = run("nsenter", "--net=" + nsFile, "ip", "route", "show", "default");
        assertTrue(route.contains("via 10.239." + third + ".1 dev eth0"), route);
        assertTrue(run("ip", "-o", "link", "show", "master", "hutcht" + rnd).contains(r.endpoints().get(0).hostVeth()));

        // netns ls finds it, with its interfaces read from inside
        List<NetnsLister.Namespace> all = new NetnsLister(Path.of("/proc"), tmp.resolve("netns"), Path.of("/run/docker/netns"),
                Syscalls.jna()).list(Map.of(name, pid), true);
        NetnsLister.Namespace mine = all.stream().filter(n -> n.names().contains("hutch-" + name)).findFirst().orElseThrow();
        assertTrue(mine.names().contains("container " + name), mine.names().toString());
        assertTrue(mine.interfaces().stream().anyMatch(i -> i.name().equals("eth0") && i.addresses().contains(ip + "/24")),
                mine.interfaces().toString());
        assertTrue(all.get(0).names().contains("host"), all.get(0).names().toString());
    }

    @Test
    void attachTimeOnAWarmBridge() throws Exception {
        List<Double> times = new ArrayList<>();
        List<String[]> made = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "c" + rnd + "b" + i + "bbbbbbbbbbbb";
            long pid = container(id);
            NetworkPlan plan = net.prepare(id, "t" + rnd + "-" + i, "h", ContainerSpec.builder("busybox").build());
            long t0 = System.nanoTime();
            NetworkRecord rec = net.attach(plan, pid);
            times.add((System.nanoTime() - t0) / 1e6);
            made.add(new String[] {id});
            net.release(id, rec);
        }
        System.out.println("attach() per container, bridge mode without ports, ms (first creates the bridge): " + times);
        List<Double> warm = times.subList(2, times.size()).stream().sorted().toList();
        System.out.printf("attach() warm median %.2f ms, max %.2f ms%n", warm.get(warm.size() / 2), warm.get(warm.size() - 1));
    }

    @Test
    void userNetworkNamesConnectAndDisconnect() throws Exception {
        Networks networks = new Networks(net);
        String netName = "t" + rnd;
        int subnetThird = third == 249 ? 248 : third + 1;
        NetworkConfig n = networks.create(netName, "10.239." + subnetThird + ".0/24", null, 0);
        assertEquals("hutch-t" + rnd, n.bridge());
        String dbId = "c" + rnd + "dddddddddddd", webId = "c" + rnd + "wwwwwwwwwwww";
        Map<String, NetworkRecord> records = new HashMap<>();
        try {
            long dbPid = container(dbId), webPid = container(webId);
            NetworkPlan dbPlan = net.prepare(dbId, "db" + rnd, "db", ContainerSpec.builder("busybox")
                    .network(new dev.hutch.spec.NetworkAttachment(netName, List.of("database"), null)).build());
            Files.writeString(config.containerDataDir(dbId).resolve("hosts"), dbPlan.hostsFile());
            records.put(dbId, dbPlan.record());
            NetworkRecord dbRec = net.attach(dbPlan, dbPid);
            records.put(dbId, dbRec);
            NetworkPlan webPlan = net.prepare(webId, "web" + rnd, "web", ContainerSpec.builder("busybox").build());
            Files.writeString(config.containerDataDir(webId).resolve("hosts"), webPlan.hostsFile());
            records.put(webId, webPlan.record());
            NetworkRecord webRec = net.attach(webPlan, webPid);
            records.put(webId, webRec);

            // web (default bridge) joins the user network: eth1 appears at once, and the two see each other by name
            webRec = net.connect(webId, webPid, dev.hutch.spec.NetworkAttachment.of(netName), webRec);
            records.put(webId, webRec);
            String dbIp = dbRec.endpoints().get(0).ip();
            String webIp2 = webRec.endpoints().get(1).ip();
            assertTrue(run("nsenter", "--net=/proc/" + webPid + "/ns/net", "ip", "-4", "-o", "addr", "show", "eth1").contains(webIp2));
            String webHosts = Files.readString(config.containerDataDir(webId).resolve("hosts"));
            assertTrue(webHosts.contains(dbIp + "\tdb" + rnd + " db database"), webHosts);
            assertTrue(Files.readString(config.containerDataDir(dbId).resolve("hosts")).contains(webIp2 + "\tweb" + rnd + " web"));
            try (ServerSocket ignored = serveInside(dbPid, 5432, "db")) {
                String fromWeb = new InNetns(Syscalls.jna()).call("/proc/" + webPid + "/ns/net", s -> {
                    try {
                        return ask(dbIp, 5432);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertEquals("db from " + webIp2, fromWeb);
            }
            assertEquals(List.of("db" + rnd, "web" + rnd), networks.users(n).stream().sorted().toList());
            Exception inUse = assertThrows(dev.hutch.HutchException.class, () -> networks.remove(netName));
            assertTrue(inUse.getMessage().contains("is in use by container(s)"), inUse.getMessage());

            webRec = net.disconnect(webId, netName, webRec);
            records.put(webId, webRec);
            assertFalse(run("nsenter", "--net=/proc/" + webPid + "/ns/net", "ip", "-o", "link").contains("eth1"));
            assertFalse(Files.readString(config.containerDataDir(dbId).resolve("hosts")).contains("web" + rnd));

            net.release(webId, records.remove(webId));
            net.release(dbId, records.remove(dbId));
            assertEquals(List.of(), networks.users(n));
        } finally {
            records.forEach(net::release);
            networks.remove(netName);
        }
        assertFalse(run("ip", "-o", "link").contains("hutch-t" + rnd));
        assertFalse(run("iptables-save").contains("hutch-net:hutch-t" + rnd));
    }
}
