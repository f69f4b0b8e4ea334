package dev.hutch.net;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.config.EngineConfig;
import dev.hutch.net.nat.Iptables;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Planning and release without root: the syscalls are a recording fake, iptables is never run. */
class HostNetworkingTest {
    @TempDir Path tmp;
    final RecordingSyscalls sys = new RecordingSyscalls().respondWith(HostNetworkingTest::noSuchDevice);

    EngineConfig config() {
        return new EngineConfig(tmp.resolve("run"), tmp.resolve("lib"), tmp.resolve("cg"), "hutch", Path.of("/proc"),
                tmp.resolve("netns"), "hutcht0", "10.199.200.0/24");
    }

    HostNetworking networking(Map<String, Long> pids) throws Exception {
        Path resolv = tmp.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 127.0.0.53\nnameserver 10.9.9.9\n");
        Iptables never = new Iptables() {
            @Override
            protected String run(List<String> argv, String stdin) { throw new AssertionError("iptables ran: " + argv); }
        };
        return new HostNetworking(config(), pids::get, () -> sys, never, 0, resolv);
    }

    /** Every netlink request is answered "no such device": links are already gone. */
    static byte[] noSuchDevice(byte[] request) {
        ByteBuffer r = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        r.putInt(36).putShort((short) 2).putShort((short) 0x100)
                .putInt(ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getInt(8)).putInt(0);
        r.putInt(-19);
        r.put(request, 0, 16);
        return r.array();
    }

    void makeContainer(String id) throws Exception {
        Files.createDirectories(config().containerStateDir(id));
        Files.createDirectories(config().containerDataDir(id));
    }

    @Test
    void noneMakesANamespaceWithLoopbackOnlyAndNoKernelCalls() throws Exception {
        HostNetworking n = networking(Map.of());
        NetworkPlan p = n.prepare("c1", "quiet", "3f2a", ContainerSpec.builder("busybox").network("none").build());
        assertTrue(p.newNetworkNamespace());
        assertTrue(p.loopbackUp());
        assertTrue(p.joinNamespaces().isEmpty());
        assertTrue(p.hostsFile().contains("127.0.1.1\t3f2a quiet"));
        assertEquals("nameserver 10.9.9.9\n", p.resolvConf());
        n.release("c1", p.record());
        assertTrue(sys.calls.isEmpty(), sys.calls.toString());
    }

    @Test
    void hostKeepsTheHostNamespace() throws Exception {
        HostNetworking n = networking(Map.of());
        NetworkPlan p = n.prepare("c1", "h", "h", ContainerSpec.builder("busybox").network("host")
                .port(PortMapping.parse("80:80")).build());
        assertFalse(p.newNetworkNamespace());
        assertFalse(p.needsWiring());
        assertTrue(p.resolvConf().contains("127.0.0.53"), "the host's own resolver works in the host's namespace");
        n.release("c1", p.record());
        assertTrue(sys.calls.isEmpty());
    }

    @Test
    void containerModeJoinsTheOthersNamespace() throws Exception {
        HostNetworking n = networking(Map.of("web", 4242L));
        NetworkPlan p = n.prepare("c2", "side", "side", ContainerSpec.builder("busybox").network("container:web").build());
        assertEquals(List.of("net /proc/4242/ns/net"), p.joinNamespaces());
        // refused by the check, which runs before the container has a record or a name
        n.check(ContainerSpec.builder("busybox").network("container:web").build());
        assertThrows(NotFoundException.class,
                () -> n.check(ContainerSpec.builder("busybox").network("container:gone").build()));
        assertThrows(InvalidSpecException.class, () -> n.check(ContainerSpec.builder("busybox")
                .network("container:web").port(PortMapping.parse("80:80")).build()));
        assertThrows(InvalidSpecException.class, () -> n.check(ContainerSpec.builder("busybox")
                .network("none").network("bridge").build()));
    }

    @Test
    void theCheckRefusesWhatTheHostWouldAndTakesNothing() throws Exception {
        HostNetworking n = networking(Map.of());
        assertThrows(NotFoundException.class, () -> n.check(ContainerSpec.builder("busybox").network("nosuch").build()));
        assertThrows(InvalidSpecException.class, () -> n.check(ContainerSpec.builder("busybox")
                .network(new NetworkAttachment("bridge", List.of("db"), null)).build()));
        assertThrows(InvalidSpecException.class, () -> n.check(ContainerSpec.builder("busybox")
                .network("bridge").network("bridge").build()));
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HutchException inUse = assertThrows(HutchException.class, () -> n.check(ContainerSpec.builder("busybox")
                    .port(PortMapping.parse("127.0.0.1:" + held.getLocalPort() + ":80")).build()));
            assertTrue(inUse.getMessage().contains("is in use"), inUse.getMessage());
        }
        n.check(ContainerSpec.builder("busybox").port(PortMapping.parse("127.0.0.1:0:80")).build());
        assertTrue(n.store().leases(n.store().defaultNetwork()).leases().isEmpty(), "the check leases nothing");
    }

    @Test
    void bridgePlanLeasesAddressesAndReleaseFreesThem() throws Exception {
        HostNetworking n = networking(Map.of());
        makeContainer("aaaaaaaaaaaaaaaa1");
        NetworkPlan p = n.prepare("aaaaaaaaaaaaaaaa1", "web", "aaaaaaaaaaaa", ContainerSpec.builder("busybox").build());
        NetworkRecord r = p.record();
        assertEquals("bridge", r.mode());
        Endpoint e = r.endpoints().get(0);
        assertEquals(new Endpoint("bridge", "10.199.200.2", 24, "10.199.200.1", "hutcht0", "hvaaaaaaaaaa0", "eth0",
                "02:48:0a:c7:c8:02", List.of()), e);
        assertEquals(tmp.resolve("netns/hutch-web").toString(), r.netnsFile());
        assertTrue(p.hostsFile().contains("10.199.200.2\taaaaaaaaaaaa web\n"), p.hostsFile());
        assertEquals(r, NetworkRecord.fromMap(p.record().toMap()), "the record survives its map form");

        n.release("aaaaaaaaaaaaaaaa1", p.record());
        n.release("aaaaaaaaaaaaaaaa1", p.record()); // idempotent
        assertTrue(n.store().leases(n.store().defaultNetwork()).leases().isEmpty());
        assertTrue(sys.calls.stream().anyMatch(c -> c.startsWith("send(")), "the veth was looked up to be deleted");
    }

    @Test
    void userNetworksResolveEachOtherAndAliases() throws Exception {
        HostNetworking n = networking(Map.of());
        n.store().create("app", "10.199.201.0/24", null, 0);
        makeContainer("c-db");
        makeContainer("c-web");
        NetworkPlan db = n.prepare("c-db", "db", "dbhost", ContainerSpec.builder("busybox")
                .network(new NetworkAttachment("app", List.of("database"), "10.199.201.10")).build());
        Files.writeString(tmp.resolve("lib/containers/c-db/hosts"), db.hostsFile());
        NetworkPlan web = n.prepare("c-web", "web", "webhost", ContainerSpec.builder("busybox").network("app").build());
        assertTrue(web.hostsFile().contains("10.199.201.10\tdb dbhost database\n"), web.hostsFile());

        // web's release rewrites db's file in place: same inode, web gone
        Path dbHosts = tmp.resolve("lib/containers/c-db/hosts");
        new HostsWriter(config(), n.store()).refresh(List.of("app"));
        assertTrue(Files.readString(dbHosts).contains("webhost"));
        Object inode = Files.getAttribute(dbHosts, "unix:ino");
        n.release("c-web", web.record());
        assertFalse(Files.readString(dbHosts).contains("webhost"));
        assertEquals(inode, Files.getAttribute(dbHosts, "unix:ino"), "rewritten in place, not replaced");
        n.release("c-db", db.record());
    }

    @Test
    void aliasesAndFixedAddressesNeedAUserNetwork() throws Exception {
        HostNetworking n = networking(Map.of());
        assertThrows(InvalidSpecException.class, () -> n.prepare("c1", "x", "x", ContainerSpec.builder("busybox")
                .network(new NetworkAttachment("bridge", List.of("a"), null)).build()));
        assertThrows(InvalidSpecException.class, () -> n.prepare("c1", "x", "x", ContainerSpec.builder("busybox")
                .network(new NetworkAttachment("bridge", List.of(), "10.199.200.9")).build()));
        assertThrows(NotFoundException.class, () -> n.prepare("c1", "x", "x", ContainerSpec.builder("busybox")
                .network("nope").build()));
    }

    @Test
    void aFailedSecondLeaseGivesBackTheFirst() throws Exception {
        HostNetworking n = networking(Map.of());
        makeContainer("c1");
        assertThrows(NotFoundException.class, () -> n.prepare("c1", "x", "x", ContainerSpec.builder("busybox")
                .network("bridge").network("nope").build()));
        assertTrue(n.store().leases(n.store().defaultNetwork()).leases().isEmpty());
    }

    @Test
    void vethNamesFitInFifteenBytes() {
        assertEquals("hv0123456789" + "0", HostNetworking.vethName("0123456789abcdef", 0));
        assertTrue(HostNetworking.vethName("0123456789abcdef", 12).length() <= 15);
    }
}
