package dev.hutch.net.ipam;

import dev.hutch.HutchException;
import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class LeaseStoreTest {
    @TempDir Path tmp;
    final Set<String> live = ConcurrentHashMap.newKeySet();

    LeaseStore store(String cidr, long grace) {
        Cidr c = Cidr.parse("x", cidr);
        return new LeaseStore(tmp.resolve("net"), c, c.firstHost(), live::contains, grace);
    }

    /** 10.210.0.0/24 with fd68:7574:6368:9::/64, gateways .1 and ::1. */
    LeaseStore dualStack(long grace) {
        Cidr c = Cidr.parse("x", "10.210.0.0/24");
        Ipv6Cidr c6 = Ipv6Cidr.parse("x", "fd68:7574:6368:9::/64");
        return new LeaseStore(tmp.resolve("net"), c, c.firstHost(), c6, Ipv6.parse("fd68:7574:6368:9::1"), live::contains, grace);
    }

    @Test
    void anIpv6AddressAskedForReplacesTheTwinAndIsHeldUntilReleased() {
        LeaseStore s = dualStack(0);
        Lease a = s.allocate(owner("a"), null, "FD68:7574:6368:9:0::abcd");
        assertEquals("10.210.0.2", a.ip());
        assertEquals("fd68:7574:6368:9::abcd", a.ip6(), "the address asked for, in its short form");
        assertTrue(Files.exists(s.leases6Dir().resolve("fd68:7574:6368:9::abcd")));
        HutchException taken = assertThrows(HutchException.class, () -> s.allocate(owner("b"), null, "fd68:7574:6368:9::abcd"));
        assertTrue(taken.getMessage().contains("already in use by container name-a"), taken.getMessage());
        assertThrows(HutchException.class, () -> s.checkRequest6("fd68:7574:6368:9::abcd"));
        assertEquals(1, s.leases().size(), "a refused --ip6 took no IPv4 lease either");
        s.rename("a", "renamed");
        Lease kept = s.leases().get(0);
        assertEquals("renamed", kept.name());
        assertEquals("fd68:7574:6368:9::abcd", kept.ip6(), "a rename keeps the IPv6 address in the lease");
        HutchException stillTaken = assertThrows(HutchException.class, () -> s.checkRequest6("fd68:7574:6368:9::abcd"));
        assertTrue(stillTaken.getMessage().contains("by container renamed"), stillTaken.getMessage());
        s.release(a.ip(), "a");
        assertFalse(Files.exists(s.leases6Dir().resolve("fd68:7574:6368:9::abcd")), "released with the lease");
        assertEquals("fd68:7574:6368:9::abcd", s.allocate(owner("b"), null, "fd68:7574:6368:9::abcd").ip6());
    }

    @Test
    void anIpv6AddressAskedForAndTheTwinsNeverCollide() {
        LeaseStore s = dualStack(0);
        Lease a = s.allocate(owner("a"), null);
        assertEquals("fd68:7574:6368:9::2", a.ip6());
        HutchException twin = assertThrows(HutchException.class, () -> s.allocate(owner("b"), null, "fd68:7574:6368:9::2"));
        assertTrue(twin.getMessage().contains("already in use by container name-a"), twin.getMessage());
        // ::3 held by an --ip6: the walk skips 10.210.0.3, whose twin that is
        s.allocate(owner("c"), "10.210.0.9", "fd68:7574:6368:9::3");
        Lease d = s.allocate(owner("d"), null);
        assertEquals("10.210.0.4", d.ip());
        assertEquals("fd68:7574:6368:9::4", d.ip6());
        HutchException ip = assertThrows(HutchException.class, () -> s.allocate(owner("e"), "10.210.0.3"));
        assertTrue(ip.getMessage().contains("held by another container's --ip6"), ip.getMessage());
        assertEquals("fd68:7574:6368:9::77", s.allocate(owner("e"), "10.210.0.3", "fd68:7574:6368:9::77").ip6(),
                "with an --ip6 of its own, the address whose twin is held is fine");
    }

    @Test
    void aBadIpv6AddressIsRefusedWithOneLine() {
        LeaseStore s = dualStack(0);
        for (String bad : List.of("10.210.0.5", "fd68:7574:6368:8::5", "fd68:7574:6368:9::1", "fd68:7574:6368:9::", "nonsense")) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> s.allocate(owner("x"), null, bad), bad);
            assertTrue(e.getMessage().startsWith("--ip6") && !e.getMessage().contains("\n"), e.getMessage());
        }
        InvalidSpecException v4only = assertThrows(InvalidSpecException.class,
                () -> store("10.211.0.0/24", 0).allocate(owner("y"), null, "fd68:7574:6368:9::5"));
        assertTrue(v4only.getMessage().contains("needs a network with IPv6"), v4only.getMessage());
        assertTrue(s.leases().isEmpty());
    }

    Lease owner(String id) {
        live.add(id);
        return new Lease(null, id, "name-" + id, "host-" + id, List.of());
    }

    @Test
    void handsOutAddressesInOrderSkippingTheGatewayAndNotReusingAtOnce() {
        LeaseStore s = store("10.210.0.0/24", 0);
        assertEquals("10.210.0.2", s.allocate(owner("a"), null).ip());
        assertEquals("10.210.0.3", s.allocate(owner("b"), null).ip());
        s.release("10.210.0.2", "a");
        live.remove("a");
        assertEquals("10.210.0.4", s.allocate(owner("c"), null).ip(), "round robin: a freed address rests a while");
        assertEquals(2, s.liveLeases().size());
        Lease read = s.leases().stream().filter(l -> l.containerId().equals("c")).findFirst().orElseThrow();
        assertEquals("name-c", read.name());
    }

    @Test
    void wrapsAroundAndReportsAFullSubnet() {
        LeaseStore s = store("10.210.0.0/29", 0); // hosts .1-.6, gateway .1
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) got.add(s.allocate(owner("c" + i), null).ip());
        assertEquals(List.of("10.210.0.2", "10.210.0.3", "10.210.0.4", "10.210.0.5", "10.210.0.6"), got);
        HutchException e = assertThrows(HutchException.class, () -> s.allocate(owner("x"), null));
        assertTrue(e.getMessage().contains("no free address"), e.getMessage());
        s.release("10.210.0.3", "c1");
        assertEquals("10.210.0.3", s.allocate(owner("y"), null).ip());
    }

    @Test
    void requestedAddresses() {
        LeaseStore s = store("10.210.0.0/24", 0);
        assertEquals("10.210.0.50", s.allocate(owner("a"), "10.210.0.50").ip());
        HutchException taken = assertThrows(HutchException.class, () -> s.allocate(owner("b"), "10.210.0.50"));
        assertTrue(taken.getMessage().contains("already in use by container name-a"), taken.getMessage());
        assertThrows(InvalidSpecException.class, () -> s.allocate(owner("b"), "10.210.0.1"), "gateway");
        assertThrows(InvalidSpecException.class, () -> s.allocate(owner("b"), "10.210.0.255"), "broadcast");
        assertThrows(InvalidSpecException.class, () -> s.allocate(owner("b"), "10.211.0.5"), "outside");
        assertThrows(InvalidSpecException.class, () -> s.allocate(owner("b"), "nope"));
    }

    @Test
    void releaseOnlyFreesTheOwnersLeaseAndIsIdempotent() {
        LeaseStore s = store("10.210.0.0/24", 0);
        String ip = s.allocate(owner("a"), null).ip();
        s.release(ip, "someone-else");
        assertEquals(1, s.leases().size());
        s.release(ip, "a");
        s.release(ip, "a");
        assertEquals(0, s.leases().size());
    }

    @Test
    void leasesOfCrashedRunsAreReclaimedAfterTheGrace() throws Exception {
        LeaseStore s = store("10.210.0.0/29", 60_000);
        for (int i = 0; i < 5; i++) s.allocate(owner("c" + i), null);
        live.remove("c2"); // its state dir is gone: the run crashed
        assertThrows(HutchException.class, () -> s.allocate(owner("x"), null), "still within the grace period");
        Path lease = s.leasesDir().resolve("10.210.0.4");
        Files.setLastModifiedTime(lease, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertEquals("10.210.0.4", s.allocate(owner("x"), null).ip());

        live.remove("c4");
        Files.setLastModifiedTime(s.leasesDir().resolve("10.210.0.6"), FileTime.fromMillis(0));
        Files.writeString(s.leasesDir().resolve("10.210.0.99"), "{half-writ"); // garbage from a crash, old
        Files.setLastModifiedTime(s.leasesDir().resolve("10.210.0.99"), FileTime.fromMillis(0));
        assertEquals(2, s.reclaimStale());
    }

    @Test
    void fiftyThreadsGetFiftyDistinctAddresses() throws Exception {
        LeaseStore s = store("10.210.0.0/24", 0);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> got = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = "t" + i;
            got.add(pool.submit(() -> {
                go.await();
                return s.allocate(owner(id), null).ip();
            }));
        }
        go.countDown();
        Set<String> ips = new HashSet<>();
        for (Future<String> f : got) ips.add(f.get(30, TimeUnit.SECONDS));
        pool.shutdown();
        assertEquals(50, ips.size());
        assertEquals(50, s.leases().size());
    }

    /** Separate JVMs, as separate {@code hutch run} processes are: only the file lock keeps them apart. */
    @Test
    void threeProcessesNeverShareAnAddress() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> ps = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            ps.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AllocateMain.class.getName(),
                    tmp.resolve("net").toString(), "p" + p, "15")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(tmp.resolve("out" + p).toFile()).start());
        }
        List<String> all = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            assertTrue(ps.get(p).waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, ps.get(p).exitValue());
            all.addAll(Files.readAllLines(tmp.resolve("out" + p)));
        }
        assertEquals(45, all.size());
        assertEquals(45, new HashSet<>(all).size(), "an address was handed out twice: " + all);
        assertEquals(45, new File(tmp.resolve("net/leases").toString()).list().length);
    }

    /** The child process of {@link #threeProcessesNeverShareAnAddress}. */
    public static final class AllocateMain {
        public static void main(String[] args) {
            Cidr c = Cidr.parse("x", "10.210.0.0/24");
            LeaseStore s = new LeaseStore(Path.of(args[0]), c, c.firstHost(), id -> true, 0);
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                System.out.println(s.allocate(new Lease(null, args[1] + "-" + i, "n", "h", List.of()), null).ip());
            }
        }
    }
}
