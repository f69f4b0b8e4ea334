package dev.hutch.cli;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import dev.hutch.config.EngineConfig;
import dev.hutch.engine.Started;
import dev.hutch.logs.LogEntry;
import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkLeaks;
import dev.hutch.net.NetworkRecord;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.Mount;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 4's "done when", observed from the host: addresses read from inside the namespaces by
 * nsenter/ip, HTTP answered on 127.0.0.1, netns files, links and iptables rules listed by
 * NetworkLeaks. Everything the class makes carries its tag: its own default bridge
 * {@code hutcht<tag>} on 10.239.N.0/24 and user networks on 10.238/10.237/10.236.N.0/24 (N from
 * the tag), so it never touches the host's {@code hutch0} or another test's networks. All traffic
 * is to 127.0.0.1 or between the test's own containers.
 */
@RequiresRoot
@RequiresCommand({"iptables", "nsenter", "ip"})
class NetworkingTest {
    static TestRoots roots;
    static EngineConfig config;
    static Engine engine;
    static Networks networks;
    static String tag;
    static int octet;
    static String userNet, otherNet;
    /** Every container this class started, so the leak check can tell our veths and rules from others'. */
    static final ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        tag = roots.tag();
        octet = Integer.parseInt(tag.substring(0, 2), 16);
        config = roots.config().withBridge("hutcht" + tag, "10.239." + octet + ".0/24");
        engine = Engines.forHost(config);
        networks = new Networks(engine.networking());
        userNet = "n" + tag;
        otherNet = "o" + tag;
        networks.create(userNet, "10.238." + octet + ".0/24", null, 0);
        networks.create(otherNet, "10.237." + octet + ".0/24", null, 0);
    }

    @AfterAll
    static void tearDown() {
        try {
            if (engine != null) {
                for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
                for (NetworkConfig n : networks.list()) if (n.userDefined()) networks.remove(n.name());
                assertTrue(networks.removeDefaultBridge(), "the test's default bridge is unused at the end");
                List<String> leaks = NetworkLeaks.find(config);
                List<String> ours = leaks.stream().filter(NetworkingTest::isOurs).toList();
                if (!leaks.isEmpty()) System.out.println("network leftovers on the host (ours: " + ours + "): " + leaks);
                assertEquals(List.of(), ours, "the test left network state behind");
            }
        } finally {
            if (roots != null) roots.close();
        }
    }

    /**
     * A leftover is ours if it names our tag (bridges, netns files, rules of our networks) or one of
     * our containers (veth hv<id>, rule comment hutch:<id>), or is a lease under our lib root. hutch's
     * shared chains and hooks are ours too when no other hutch network's rule is left on the host.
     */
    static boolean isOurs(String leak) {
        if (leak.contains(tag) || leak.startsWith("lease ")) return true;
        for (String id : started) {
            String clean = id.replaceAll("[^a-zA-Z0-9]", "");
            if (leak.contains("hv" + clean.substring(0, Math.min(10, clean.length()))) || leak.contains("hutch:" + id)) return true;
        }
        return leak.startsWith("iptables ") && !anyOtherHutchRule();
    }

    static boolean anyOtherHutchRule() {
        return NetworkLeaks.find(config).stream().anyMatch(l -> l.contains("hutch-net:") || l.contains("hutch:"));
    }

    // ---------------------------------------------------------------- helpers

    static ContainerSpec.Builder busybox(String name, String... cmd) {
        return ContainerSpec.builder("busybox").name(name + "-" + tag).command(cmd);
    }

    static Started run(ContainerSpec spec) {
        Started s = engine.run(spec, true);
        started.add(s.id());
        return s;
    }

    /** A host tool inside a container's network namespace only, as `hutch debug` runs it. */
    static String inNetns(long pid, String... cmd) throws Exception {
        List<String> argv = dev.hutch.net.netns.NetnsLister.debugCommand(pid, List.of(cmd));
        return runHost(argv);
    }

    static String runHost(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not finish: " + argv);
        assertEquals(0, p.exitValue(), argv + " failed: " + out);
        return out;
    }

    static NetworkRecord record(String ref) { return engine.inspect(ref).network(); }

    static String stdout(String id) {
        return engine.logs(id).read(-1, null).stream().filter(e -> e.stream().equals("stdout"))
                .map(LogEntry::text).collect(Collectors.joining());
    }

    /** A dir with index.html for busybox httpd, bind-mounted read-only as /www. */
    static Mount site(String content) throws Exception {
        Path www = Files.createDirectories(roots.dir().resolve("www-" + content.hashCode()));
        Files.writeString(www.resolve("index.html"), content);
        return Mount.bind(www.toString(), "/www", true);
    }

    static int freeLoopbackPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void twoContainersOnAUserNetworkReachEachOtherByName() throws Exception {
        String page = "hello from web " + tag;
        Started web = run(busybox("web", "httpd", "-f", "-p", "80", "-h", "/www")
                .network(new NetworkAttachment(userNet, List.of("web"), null)).mount(site(page)).build());
        // the server may need a moment to listen: the client retries for up to 5 s
        Started client = run(busybox("client", "sh", "-c",
                "for i in $(seq 50); do wget -q -O- http://web:80/ && exit 0; sleep 0.1; done; exit 1")
                .network(userNet).build());
        try {
            assertEquals(0, engine.waitFor(client.id()), "wget by name failed: " + stdout(client.id()));
            assertEquals(page, stdout(client.id()));
            // the names come from /etc/hosts, rewritten in place in the peer when the client joined
            String hosts = Files.readString(Path.of("/proc/" + web.state().pid() + "/root/etc/hosts"));
            assertTrue(hosts.contains(record(client.id()).endpoints().get(0).ip()) && hosts.contains("client-" + tag), hosts);
        } finally {
            engine.remove(client.id(), true, true);
            engine.remove(web.id(), true, true);
        }
    }

    @Test
    void aPublishedPortAnswersOnLoopbackFromTheHost() throws Exception {
        String page = "published " + tag;
        int port = freeLoopbackPort();
        Started web = run(busybox("pub", "httpd", "-f", "-p", "80", "-h", "/www").mount(site(page))
                .port(new PortMapping("127.0.0.1", port, 80, "tcp")).build());
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(3)).build();
            String body = null;
            for (int i = 0; i < 50 && body == null; i++) {
                try {
                    body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    Thread.sleep(100); // httpd not listening yet
                }
            }
            assertEquals(page, body);
            // ps shows the port as published, the way docker prints it
            assertEquals("pub-" + tag + " 127.0.0.1:" + port + "->80/tcp\n", cli("ps", "--format", "{{.Names}} {{.Ports}}"));
        } finally {
            engine.remove(web.id(), true, true);
        }
        assertTrue(NetworkLeaks.find(config).stream().noneMatch(l -> l.contains("hutch:" + web.id())), "its DNAT rules are gone");
    }

    /** The CLI in this JVM, on this class's roots; returns stdout. */
    static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--run-root", config.runRoot().toString(), "--lib-root",
                config.libRoot().toString(), "--cgroup-parent", config.cgroupParent()));
        argv.addAll(List.of(args));
        int rc = Main.run(argv, new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, rc, err.toString());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void networkNoneHasOnlyLoopbackAndItIsUp() throws Exception {
        Started s = run(busybox("none", "sleep", "30").network("none").build());
        try {
            List<String> links = inNetns(s.state().pid(), "ip", "-o", "link").lines().toList();
            assertEquals(1, links.size(), links.toString());
            assertTrue(links.get(0).matches("1: lo: <[A-Z_,]*\\bUP\\b.*"), links.get(0));
            assertTrue(inNetns(s.state().pid(), "ip", "-o", "-4", "addr").contains("127.0.0.1/8"));
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void containerModeSharesTheOthersNamespace() throws Exception {
        Started a = run(busybox("owner", "sleep", "30").build());
        Started b = run(busybox("joiner", "sleep", "30").network("container:owner-" + tag).build());
        try {
            Path nsA = Path.of("/proc/" + a.state().pid() + "/ns/net"), nsB = Path.of("/proc/" + b.state().pid() + "/ns/net");
            assertEquals(Files.readSymbolicLink(nsA), Files.readSymbolicLink(nsB));
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")), Files.readSymbolicLink(nsB));
            String ip = record(a.id()).endpoints().get(0).ip();
            assertTrue(inNetns(b.state().pid(), "ip", "-o", "-4", "addr", "show", "eth0").contains(ip + "/24"));
        } finally {
            engine.remove(b.id(), true, true);
            engine.remove(a.id(), true, true);
        }
    }

    @Test
    void connectAddsAnInterfaceToARunningContainerAndDisconnectRemovesIt() throws Exception {
        Started s = run(busybox("conn", "sleep", "30").build());
        long pid = s.state().pid();
        try {
            engine.connect(s.id(), new NetworkAttachment(otherNet, List.of("extra"), null));
            NetworkRecord r = record(s.id());
            assertEquals(2, r.endpoints().size(), r.toString());
            Endpoint eth1 = r.endpoints().get(1);
            assertEquals("eth1", eth1.ifname());
            assertTrue(eth1.ip().startsWith("10.237." + octet + "."), eth1.ip());
            assertTrue(inNetns(pid, "ip", "-o", "-4", "addr", "show", "eth1").contains(eth1.ip() + "/24"));
            assertTrue(runHost(List.of("ip", "-o", "link", "show", eth1.hostVeth())).contains("master hutch-o" + tag));

            engine.disconnect(s.id(), otherNet);
            assertEquals(1, record(s.id()).endpoints().size());
            assertFalse(inNetns(pid, "ip", "-o", "link").contains("eth1"), "eth1 is gone");
            assertTrue(NetworkLeaks.find(config).stream().noneMatch(l -> l.contains(eth1.hostVeth())));
            assertEquals(List.of(), networks.users(networks.list().stream().filter(n -> n.name().equals(otherNet)).findFirst().orElseThrow()));
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void fiftyParallelRunsGetFiftyDistinctAddresses() throws Exception {
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Started> all = new ArrayList<>();
        try {
            List<Future<Started>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ContainerSpec spec = busybox("par" + i, "sleep", "30").build();
                futures.add(pool.submit(() -> run(spec)));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<Started> f : futures) {
                try {
                    all.add(f.get(120, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertEquals(List.of(), failures.stream().map(Throwable::toString).toList());
            // the address each one really has, read from inside its namespace
            Set<String> seen = new HashSet<>();
            var lister = new dev.hutch.net.netns.NetnsLister(config.procRoot(), config.netnsDir(), Path.of("/nonexistent"),
                    dev.hutch.sys.Syscalls.jna());
            for (Started s : all) {
                List<String> addrs = lister.interfaces("/proc/" + s.state().pid() + "/ns/net").stream()
                        .filter(i -> i.name().equals("eth0")).flatMap(i -> i.addresses().stream()).toList();
                assertEquals(1, addrs.size(), addrs.toString());
                assertEquals(record(s.id()).endpoints().get(0).ip() + "/24", addrs.get(0));
                seen.add(addrs.get(0));
            }
            assertEquals(n, seen.size(), "distinct addresses: " + seen);
        } finally {
            List<Future<?>> removals = new ArrayList<>();
            for (Started s : all) removals.add(pool.submit(() -> engine.remove(s.id(), true, true)));
            for (Future<?> f : removals) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
        }
        assertEquals(List.of(), NetworkLeaks.leaseFiles(config.networksDir()), "every address went back");
    }

    @Test
    void theNetnsFileExistsWhileTheContainerRunsAndIpNetnsExecWorks() throws Exception {
        Started s = run(busybox("nsf", "sleep", "30").build());
        Path file = config.netnsDir().resolve("hutch-nsf-" + tag);
        try {
            assertTrue(Files.exists(file), file + " exists");
            String ip = record(s.id()).endpoints().get(0).ip();
            String addr = runHost(List.of("ip", "netns", "exec", "hutch-nsf-" + tag, "ip", "-o", "-4", "addr"));
            assertTrue(addr.contains(ip + "/24"), addr);
        } finally {
            engine.remove(s.id(), true, true);
        }
        assertFalse(Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS), file + " is gone after rm");
    }

    @Test
    void networkRmIsRefusedWhileAContainerUsesIt() throws Exception {
        String busy = "r" + tag;
        NetworkConfig net = networks.create(busy, "10.236." + octet + ".0/24", null, 0);
        Started s = run(busybox("user", "sleep", "30").network(busy).build());
        try {
            HutchException e = assertThrows(HutchException.class, () -> networks.remove(busy));
            assertTrue(e.getMessage().contains("user-" + tag), e.getMessage());
            assertTrue(networks.bridgeLink(net).isPresent(), "the bridge stays");
        } finally {
            engine.remove(s.id(), true, true);
        }
        networks.remove(busy);
        assertTrue(networks.bridgeLink(net).isEmpty(), "rm removed the bridge");
        assertTrue(networks.list().stream().noneMatch(n -> n.name().equals(busy)));
    }
}
