package dev.hutch.state;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.spec.ContainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class StateStoreTest {
    @TempDir Path root;

    private ContainerState make(StateStore store, String id, String name) {
        store.reserveName(name, id);
        ContainerState s = new ContainerState.Builder(id, name, ContainerSpec.builder("busybox").command("true").build()).build();
        store.create(s);
        return s;
    }

    @Test
    void resolvesByNameIdAndUniquePrefix() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        make(store, "abc123" + "0".repeat(58), "web");
        make(store, "abd456" + "0".repeat(58), "db");
        assertEquals("abc123" + "0".repeat(58), store.resolve("web"));
        assertEquals("abd456" + "0".repeat(58), store.resolve("abd"));
        assertThrows(HutchException.class, () -> store.resolve("ab"), "ambiguous prefix");
        assertThrows(NotFoundException.class, () -> store.resolve("nosuch"));
        assertThrows(NotFoundException.class, () -> store.resolve("../etc"));
    }

    @Test
    void aNameCanBeHeldByOneContainerOnly() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        make(store, "a".repeat(64), "web");
        HutchException e = assertThrows(HutchException.class, () -> store.reserveName("web", "b".repeat(64)));
        assertTrue(e.getMessage().contains("already in use by container aaaaaaaaaaaa"), e.getMessage());
    }

    @Test
    void aRunningContainerWhoseInitIsGoneIsShownAsExited() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        ContainerState s = make(store, "c".repeat(64), "gone");
        // a pid that cannot exist (above pid_max) stands for a process that died unwatched
        store.update(s.id(), cur -> cur.toBuilder().status(ContainerStatus.RUNNING).pid(4_194_999, 1).build());
        ContainerState seen = store.get(s.id());
        assertEquals(ContainerStatus.EXITED, seen.status());
        assertEquals(-1, seen.exitCode());
        assertEquals(ContainerStatus.EXITED, store.read(s.id()).status(), "the derived status is persisted");
    }

    @Test
    void theMonitorsExitFileDecidesTheExitCode() throws Exception {
        StateStore store = new StateStore(root, Path.of("/proc"));
        ContainerState s = make(store, "d".repeat(64), "done");
        store.update(s.id(), cur -> cur.toBuilder().status(ContainerStatus.RUNNING).pid(ProcessHandle.current().pid(), 0).build());
        Files.writeString(store.dir(s.id()).resolve("exit"),
                "{\"exitCode\":137,\"finishedAt\":\"2026-11-22T06:29:24.123456789Z\",\"oomKilled\":true,\"signal\":9}");
        ContainerState seen = store.get(s.id());
        assertEquals(ContainerStatus.EXITED, seen.status());
        assertEquals(137, seen.exitCode());
        assertTrue(seen.oomKilled());
    }
}
