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

    @Test
    void aBlankNameFileLeftByATornWriteDoesNotWedgeTheName() throws Exception {
        StateStore store = new StateStore(root, Path.of("/proc"));
        Files.createDirectories(root.resolve("names"));
        Files.writeString(root.resolve("names/web"), "");
        store.reserveName("web", "e".repeat(64));
        assertEquals("e".repeat(64), Files.readString(root.resolve("names/web")));
        assertEquals(java.util.List.of("web"), store.namesOf("e".repeat(64)));
        try (var files = Files.list(root.resolve("names"))) {
            assertEquals(1, files.count(), "no temp file is left next to the name");
        }
    }

    @Test
    void aDamagedRecordIsListedWithItsReasonAndTheOthersNormally() throws Exception {
        StateStore store = new StateStore(root, Path.of("/proc"));
        make(store, "f".repeat(64), "good");
        make(store, "9".repeat(64), "bad");
        Files.writeString(store.dir("9".repeat(64)).resolve(StateStore.CONFIG), "{\"id\": \"999");
        var all = store.all();
        assertEquals(2, all.size());
        ContainerState bad = all.stream().filter(ContainerState::isDamaged).findFirst().orElseThrow();
        assertEquals("9".repeat(64), bad.id());
        assertEquals(ContainerStatus.DEAD, bad.status());
        assertTrue(bad.error().startsWith("damaged record: config.json is not a valid record"), bad.error());
        assertEquals("good", all.stream().filter(x -> !x.isDamaged()).findFirst().orElseThrow().name());
        assertEquals("9".repeat(64), store.resolve("999"), "found by id prefix");
        assertThrows(HutchException.class, () -> store.update("9".repeat(64), x -> x), "never overwritten by an update");
    }

    @Test
    void aCreatedRecordWhoseRunnerIsGoneIsDeadAtItsLastStep() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        String id = "1".repeat(64);
        ContainerState s = new ContainerState.Builder(id, "half", ContainerSpec.builder("busybox").command("true").build())
                .runner(4_194_999, 1).step(Step.RECORD).step(Step.NAME).step(Step.CGROUP).build();
        store.create(s);
        ContainerState seen = store.get(id);
        assertEquals(ContainerStatus.DEAD, seen.status());
        assertTrue(seen.error().contains("interrupted at step \"cgroup\""), seen.error());
        assertEquals(id, store.resolve("half"), "found by the name in its record, though the name was never reserved");
    }

    @Test
    void aCreatedRecordWhoseRunnerLivesIsStillCreated() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        String id = "2".repeat(64);
        ProcessHandle self = ProcessHandle.current();
        long start = dev.hutch.util.ProcStat.read(Path.of("/proc"), self.pid()).startTime();
        store.create(new ContainerState.Builder(id, "making", ContainerSpec.builder("busybox").command("true").build())
                .runner(self.pid(), start).step(Step.RECORD).build());
        assertEquals(ContainerStatus.CREATED, store.get(id).status());
    }

    @Test
    void deleteTakesTheRecordAwayInOneStep() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        make(store, "3".repeat(64), "gone");
        store.delete("3".repeat(64));
        assertTrue(store.ids().isEmpty());
        assertThrows(NotFoundException.class, () -> store.read("3".repeat(64)));
        assertEquals(1, assertThrows(NotFoundException.class, () -> store.resolve("gone")).exitCode(), "docker's exit code 1");
    }

    /** The engine service updates one record from many request threads: no update lost, none throws. */
    @Test
    void concurrentUpdatesOfOneRecordAreAllKept() throws Exception {
        StateStore store = new StateStore(root, Path.of("/proc"));
        ContainerState s = make(store, "e".repeat(64), "busy");
        int threads = 8, each = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String step = "t" + thread + "-" + i;
                        store.update(s.id(), cur -> cur.toBuilder().step(step).build());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * each, store.read(s.id()).steps().size(), "updates were lost");
    }

    @Test
    void updatingARemovedContainerDoesNotMakeItsDirectoryAgain() {
        StateStore store = new StateStore(root, Path.of("/proc"));
        String id = "f".repeat(64);
        assertThrows(NotFoundException.class, () -> store.update(id, cur -> cur));
        assertFalse(Files.exists(store.dir(id)));
    }
}
