package dev.hutch.userns;

import dev.hutch.HutchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubIdFileTest {
    @TempDir
    Path dir;

    @Test
    void hutchsEntryIsAddedOnceAfterEveryOtherLineOverlappingNone() throws Exception {
        String uids = "# local users\nalice:100000:65536\ncontainers:1000000000:100000000\nbroken line\n";
        String gids = "alice:100000:65536\nbob:1200000000:65536";
        Path u = Files.writeString(dir.resolve("subuid"), uids), g = Files.writeString(dir.resolve("subgid"), gids);
        Files.setPosixFilePermissions(u, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(g, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")); // whatever the umask
        IdRange r = new SubIdFile(u, g).ensureHutchRange();
        assertEquals(SubIdFile.DEFAULT_COUNT, r.count());
        assertEquals(0, r.start() % 65536);
        for (SubIdFile.Entry e : SubIdFile.parse(uids + "\n" + gids))
            assertFalse(e.range().overlaps(r), r + " overlaps " + e);
        String line = "hutch:" + r.start() + ":" + r.count() + "\n";
        assertEquals(uids + line, Files.readString(u), "the other lines are kept byte for byte");
        assertEquals(gids + "\n" + line, Files.readString(g));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(u)), "mode kept");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(g)));
        // a second call reads it back and changes nothing
        assertEquals(r, new SubIdFile(u, g).ensureHutchRange());
        assertEquals(uids + line, Files.readString(u));
    }

    @Test
    void anExistingEntryIsUsedAndAHalfOrMismatchedOneIsRefused() throws Exception {
        Path u = Files.writeString(dir.resolve("subuid"), "hutch:200000:131072\n");
        Path g = Files.writeString(dir.resolve("subgid"), "hutch:200000:131072\n");
        assertEquals(new IdRange(200000, 131072), new SubIdFile(u, g).ensureHutchRange());
        Files.writeString(g, "hutch:400000:131072\n");
        HutchException e = assertThrows(HutchException.class, () -> new SubIdFile(u, g).ensureHutchRange());
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
        Files.writeString(g, "");
        e = assertThrows(HutchException.class, () -> new SubIdFile(u, g).ensureHutchRange());
        assertTrue(e.getMessage().contains("but not in"), e.getMessage());
        assertEquals("", Files.readString(g), "nothing written on a refusal");
    }

    @Test
    void missingFilesAreCreated() throws Exception {
        Path u = dir.resolve("subuid"), g = dir.resolve("subgid");
        IdRange r = new SubIdFile(u, g).ensureHutchRange();
        assertEquals(SubIdFile.FIRST_CANDIDATE, r.start());
        assertEquals("hutch:" + r.start() + ":" + r.count() + "\n", Files.readString(g));
    }

    @Test
    void theFreeRangeSkipsEveryOverlapAndGivesUpPastTheLastId() {
        long c = SubIdFile.FIRST_CANDIDATE;
        IdRange r = SubIdFile.freeRange(List.of(new IdRange(c + 10, 5), new IdRange(c + 65536, 70000)), 65536 * 3);
        assertEquals(c + 65536 * 3, r.start());
        assertThrows(HutchException.class, () -> SubIdFile.freeRange(List.of(new IdRange(0, SubIdFile.ID_LIMIT)), 65536));
    }
}
