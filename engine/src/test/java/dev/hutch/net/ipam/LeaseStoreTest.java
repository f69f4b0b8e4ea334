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
