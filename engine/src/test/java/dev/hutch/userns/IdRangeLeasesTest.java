package dev.hutch.userns;

import dev.hutch.HutchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdRangeLeasesTest {
    @TempDir
    Path dir;

    static final IdRange POOL = new IdRange(1_000_013_824L, 65536L * 8);

    @Test
    void rangesAreDisjointEvenWhenTakenAtOnce() throws Exception {
        Set<String> live = ConcurrentHashMap.newKeySet();
        IdRangeLeases leases = new IdRangeLeases(dir, live::contains, 60_000);
        List<IdRange> got = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "c" + i;
            live.add(id);
            Thread t = new Thread(() -> got.add(leases.allocate(id, POOL, 65536)));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        assertEquals(8, got.size());
        for (int i = 0; i < got.size(); i++)
            for (int j = i + 1; j < got.size(); j++)
                assertFalse(got.get(i).overlaps(got.get(j)), got.get(i) + " and " + got.get(j));
        HutchException full = assertThrows(HutchException.class, () -> leases.allocate("c9", POOL, 65536));
        assertEquals(true, full.getMessage().contains("has no 65536 ids free"), full.getMessage());

        IdRange freed = leases.of("c3");
        leases.release("c3");
        assertNull(leases.of("c3"));
        leases.release("c3"); // idempotent
        live.add("c10");
        assertEquals(freed, leases.allocate("c10", POOL, 65536), "a freed range is used again");
    }

    @Test
    void aLeaseOfAVanishedContainerIsTakenOverOnlyAfterTheGracePeriod() throws Exception {
        IdRangeLeases leases = new IdRangeLeases(dir, id -> id.equals("new"), 60_000);
        IdRange old = leases.allocate("gone", POOL, (int) POOL.count());
        assertThrows(HutchException.class, () -> leases.allocate("new", POOL, 1024), "a fresh lease is protected");
        Files.setLastModifiedTime(leases.leasesDir().resolve("gone"), FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertEquals(new IdRange(old.start(), 1024), leases.allocate("new", POOL, 1024));
        assertNull(leases.of("gone"));
    }

    @Test
    void firstFitFindsTheGap() {
        IdRange pool = new IdRange(1000, 100);
        assertEquals(new IdRange(1010, 20), IdRangeLeases.firstFit(pool, List.of(new IdRange(1000, 10), new IdRange(1030, 10)), 20));
        assertEquals(new IdRange(1040, 30), IdRangeLeases.firstFit(pool, List.of(new IdRange(1000, 10), new IdRange(1030, 10)), 30));
        assertNull(IdRangeLeases.firstFit(pool, List.of(new IdRange(1050, 10)), 51));
    }
}
