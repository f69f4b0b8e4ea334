package dev.hutch.volume;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.json.Json;
import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeStoreTest {
    @TempDir
    Path volumes;

    @Test
    void createIsIdempotentAndKeepsMetadata() throws Exception {
        VolumeStore store = new VolumeStore(volumes);
        Volume v = store.create("data", Map.of("app", "web"));
        assertEquals(volumes.resolve("data/_data"), v.mountpoint());
        assertTrue(Files.isDirectory(v.mountpoint()));
        Files.writeString(v.mountpoint().resolve("keep"), "x");
        Volume again = store.create("data", Map.of());
        assertEquals(v.createdAt(), again.createdAt());
        assertEquals(Map.of("app", "web"), again.labels());
        assertTrue(Files.exists(v.mountpoint().resolve("keep")), "creating again keeps the data");
        String json = Json.write(store.inspect("data"));
        assertTrue(json.contains("\"Driver\":\"local\"") && json.contains("\"Mountpoint\":\"" + v.mountpoint() + "\""), json);
    }

    @Test
    void listInspectAndRemove() {
        VolumeStore store = new VolumeStore(volumes);
        store.create("b", null);
        store.create("a", null);
        assertEquals(List.of("a", "b"), store.list().stream().map(Volume::name).toList());
        store.remove("a", false, n -> false);
        assertEquals(List.of("b"), store.list().stream().map(Volume::name).toList());
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.inspect("a"));
        assertTrue(e.getMessage().startsWith("No such volume: a"), e.getMessage());
        assertThrows(NotFoundException.class, () -> store.remove("a", false, n -> false));
        store.remove("a", true, n -> false); // --force: a missing volume is fine
    }

    @Test
    void aVolumeInUseIsNotRemoved() {
        VolumeStore store = new VolumeStore(volumes);
        store.create("busy", null);
        HutchException e = assertThrows(HutchException.class, () -> store.remove("busy", true, "busy"::equals));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        assertTrue(Files.isDirectory(store.dataDir("busy")));
        assertEquals(List.of(), store.prune("busy"::equals));
        assertEquals(List.of("busy"), store.prune(n -> false));
        assertFalse(Files.exists(volumes.resolve("busy")));
    }

    @Test
    void anonymousVolumesGetRandomNames() {
        VolumeStore store = new VolumeStore(volumes);
        Volume a = store.createAnonymous(), b = store.createAnonymous();
        assertTrue(a.name().matches("[0-9a-f]{64}"), a.name());
        assertNotEquals(a.name(), b.name());
        assertTrue(store.inspect(a.name()).anonymous());
    }

    @Test
    void refusesNamesThatAreNotSafePathParts() {
        VolumeStore store = new VolumeStore(volumes);
        assertThrows(InvalidSpecException.class, () -> store.create("../etc", null));
        assertThrows(InvalidSpecException.class, () -> store.create(".hidden", null));
    }
}
