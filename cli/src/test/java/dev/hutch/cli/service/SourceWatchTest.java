package dev.hutch.cli.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The service's answer to "did a source change since the build?", on a real tree and the real
 * kernel's inotify: the same answers as the client's walk (stale_check.c), and every kind of
 * change seen at the very next call.
 */
class SourceWatchTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    private Path root, stamp, pom, src;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createTempDirectory("hutch-source-watch-");
        pom = write(root.resolve("pom.xml"));
        src = Files.createDirectories(root.resolve("engine/src/main/java/dev"));
        write(src.resolve("A.java"));
        write(Files.createDirectories(root.resolve("engine/target/classes")).resolve("A.class"));
        write(root.resolve("README.md"));
        stamp = Files.createDirectories(root.resolve("cli/target")).resolve(".hutch-built");
        Files.writeString(stamp, "client-checks-staleness\n"); // now: every source above is older
    }

    @AfterEach
    void remove() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static Path write(Path file) throws IOException {
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, OLD);
        return file;
    }

    private SourceWatch watch() throws IOException {
        return SourceWatch.open(stamp, List.of(pom, root.resolve("engine")));
    }

    @Test
    void olderSourcesAreFreshAndAnEditIsSeenAtTheNextCall() throws IOException {
        try (SourceWatch w = watch()) {
            assertFalse(w.stale());
            Files.writeString(src.resolve("A.java"), "y"); // an edit in place
            assertTrue(w.stale());
            assertTrue(w.stale(), "stale stays stale until a rebuild replaces the stamp");
        }
    }

    @Test
    void aSourceNewerThanTheStampBeforeTheWatchIsStaleAtOnce() throws IOException {
        Files.setLastModifiedTime(src.resolve("A.java"), FileTime.from(Instant.now().plusSeconds(60)));
        try (SourceWatch w = watch()) {
            assertTrue(w.stale());
        }
    }

    @Test
    void mavenOutputAndFilesBesideTheSourcesDoNotCount() throws IOException {
        try (SourceWatch w = watch()) {
            Files.writeString(root.resolve("engine/target/classes/A.class"), "rebuilt");
            Files.createDirectories(root.resolve("engine/target/new-dir"));
            Files.writeString(root.resolve("README.md"), "docs");
            Files.writeString(root.resolve("notes.txt"), "new beside pom.xml");
            assertFalse(w.stale());
        }
    }

    @Test
    void newFilesDirectoriesDeletionsTouchesAndRenamesEachCount() throws IOException {
        List<ThrowingChange> changes = List.of(
                () -> Files.writeString(src.resolve("B.java"), "new"),
                () -> Files.createDirectories(src.resolve("sub")),
                () -> Files.delete(src.resolve("A.java")),
                () -> Files.setLastModifiedTime(src.resolve("A.java"), FileTime.from(Instant.now())),
                () -> Files.move(write(root.resolve("pom.xml.tmp")), pom, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE)); // an editor's save by rename
        for (ThrowingChange change : changes) {
            try (SourceWatch w = watch()) {
                assertFalse(w.stale());
                change.run();
                assertTrue(w.stale(), "a change was not seen: " + changes.indexOf(change));
            }
            remove();
            tree(); // a fresh tree for the next change (and for @AfterEach)
        }
    }

    @Test
    void aRebuildMakesANewWatch() throws IOException {
        try (SourceWatch w = watch()) {
            assertTrue(w.describesBuild());
            Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().plusSeconds(1)));
            assertFalse(w.describesBuild());
        }
    }

    @Test
    void anotherCheckoutsLauncherIsNotServedAndOneWithoutAStampIs() throws IOException {
        CheckoutCheck mine = new CheckoutCheck(stamp.toString());
        Map<String, String> sources = Map.of(CheckoutCheck.SOURCES, pom + "\n" + root.resolve("engine"));
        assertEquals(CheckoutCheck.Answer.SERVE, mine.check(Map.of()));
        assertEquals(CheckoutCheck.Answer.OTHER_BUILD, mine.check(Map.of(CheckoutCheck.STAMP, "/elsewhere/cli/target/.hutch-built")));
        Map<String, String> caller = new java.util.HashMap<>(sources);
        caller.put(CheckoutCheck.STAMP, stamp.toString());
        assertEquals(CheckoutCheck.Answer.SERVE, mine.check(caller));
        Files.writeString(src.resolve("A.java"), "edited");
        assertEquals(CheckoutCheck.Answer.REBUILD, mine.check(caller));
    }

    private interface ThrowingChange {
        void run() throws IOException;
    }
}
