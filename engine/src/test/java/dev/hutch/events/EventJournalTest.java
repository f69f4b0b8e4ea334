package dev.hutch.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The journal without root: whole lines under concurrent appends, the size cap, a tail across a rotation, the monitor's die line. */
class EventJournalTest {
    @TempDir Path dir;

    @Test
    void concurrentWritersNeverTearALine() throws Exception {
        EventJournal journal = new EventJournal(dir, 64L << 20);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 200; i++)
                    journal.record(Event.CONTAINER, "start", "c" + n + "-" + i, Map.of("pad", "x".repeat(300 + i)));
            });
            th.start();
            threads.add(th);
        }
        for (Thread t : threads) t.join();
        List<String> lines = Files.readAllLines(journal.file());
        assertEquals(1600, lines.size());
        Set<String> ids = new HashSet<>();
        for (String l : lines) ids.add(Event.parse(l).id()); // parse returns null for a torn line: an NPE would fail here
        assertEquals(1600, ids.size());
    }

    @Test
    void theCapRotatesToOneOlderFileAndReadAndTailSpanBoth() {
        EventJournal journal = new EventJournal(dir, 2048);
        journal.record(Event.IMAGE, "tag", "sha256:first", Map.of());
        Tail tail = journal.tail();
        List<Event> followed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            journal.record(Event.IMAGE, "tag", "sha256:" + i, Map.of("name", "img:" + i));
            if (i % 8 == 7) followed.addAll(tail.poll()); // polled more often than the file fills up
        }
        assertTrue(Files.exists(journal.rotatedFile()), "rotated past the cap");
        assertTrue(size(journal.file()) <= 2048 + 200 && size(journal.rotatedFile()) <= 2048 + 200, "at most about twice the cap is kept");
        List<Event> all = journal.read(0, Long.MAX_VALUE);
        assertEquals("sha256:39", all.get(all.size() - 1).id());
        // the tail read the rotated file's rest before the new one: nothing in the span is lost or doubled
        followed.addAll(tail.poll());
        List<String> ids = followed.stream().map(Event::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size());
        assertEquals("sha256:39", ids.get(ids.size() - 1));
        assertEquals(40, ids.size(), "every event appended after the tail began, across the rotations: " + ids);
        assertFalse(ids.contains("sha256:first"), "the tail starts at the end");
    }

    @Test
    void theMonitorsDieLineParsesWithItsExitCodeAndSinceUntilBoundTheWindow() throws Exception {
        EventJournal journal = new EventJournal(dir, 1 << 20);
        String rest = EventJournal.dieLineRest("abc", Map.of("name", "web", "image", "busybox"));
        // what monitor.c writes: its head, then the engine's prepared rest, in one append
        Files.writeString(journal.file(), "{\"timeNano\":1700000000123456789,\"exitCode\":\"137\"," + rest + "\n");
        journal.record(new Event(Event.CONTAINER, "destroy", "abc", Map.of("name", "web"), 1700000005000000000L));
        List<Event> both = journal.read(0, Long.MAX_VALUE);
        assertEquals(List.of("die", "destroy"), both.stream().map(Event::action).toList());
        Event die = both.get(0);
        assertEquals(Map.of("exitCode", "137", "image", "busybox", "name", "web"), die.attributes());
        assertEquals(1700000000L, die.timeSeconds());
        assertEquals(List.of("destroy"), journal.read(1700000001000000000L, Long.MAX_VALUE).stream().map(Event::action).toList());
        assertEquals(List.of("die"), journal.read(0, 1700000001000000000L).stream().map(Event::action).toList());
        Map<String, Object> docker = die.toDockerMessage();
        assertEquals("die", docker.get("status"));
        assertEquals("busybox", docker.get("from"));
        assertEquals(1700000000123456789L, docker.get("timeNano"));
    }

    @Test
    void theMonitorsOtherLinesAreTheDieLineWithTheirActionAndFilterAsDockersDo() throws Exception {
        EventJournal journal = new EventJournal(dir, 1 << 20);
        // a name that spells the key: escaped in the line, so event.c's search finds only the real one
        String rest = EventJournal.dieLineRest("abc", Map.of("name", "x\"action\":\"die\"", "image", "busybox"));
        assertTrue(rest.startsWith("\"type\":\"container\",\"action\":\"die\",\"id\":\"abc\",\"attrs\":{"), rest);
        assertEquals(rest.indexOf("\"action\":\"die\""), rest.lastIndexOf("\"action\":\"die\""), "the action's key is there once: " + rest);
        // what event.c writes for oom, health_status and resize
        String oom = rest.replace("\"action\":\"die\"", "\"action\":\"oom\"");
        String unhealthy = rest.replace("\"action\":\"die\"", "\"action\":\"health_status: unhealthy\"");
        String resize = rest.replace("\"action\":\"die\"", "\"action\":\"resize\"").replace("\"attrs\":{", "\"attrs\":{\"height\":\"40\",\"width\":\"80\",");
        Files.writeString(journal.file(), "{\"timeNano\":1," + oom + "\n{\"timeNano\":2," + unhealthy + "\n{\"timeNano\":3," + resize + "\n");
        List<Event> all = journal.read(0, Long.MAX_VALUE);
        assertEquals(List.of("oom", "health_status: unhealthy", "resize"), all.stream().map(Event::action).toList());
        assertEquals(Map.of("image", "busybox", "name", "x\"action\":\"die\""), all.get(0).attributes());
        assertEquals("40", all.get(2).attributes().get("height"));
        assertEquals("80", all.get(2).attributes().get("width"));
        EventFilter health = EventFilter.parse(List.of("event=health_status"));
        assertEquals(List.of("health_status: unhealthy"), all.stream().filter(health::admits).map(Event::action).toList(),
                "event=health_status matches health_status: unhealthy, as docker's filter does");
        assertEquals(1, all.stream().filter(EventFilter.parse(List.of("event=health_status: unhealthy"))::admits).count());
        assertEquals(0, all.stream().filter(EventFilter.parse(List.of("event=health_status: healthy"))::admits).count());
        assertEquals(3, all.stream().filter(EventFilter.parse(List.of("type=container", "container=abc"))::admits).count());
    }

    @Test
    void filtersFollowDockersRules() {
        Event start = new Event(Event.CONTAINER, "start", "0123456789abcdef", Map.of("name", "web", "image", "busybox", "tier", "front"), 1);
        Event tag = new Event(Event.IMAGE, "tag", "sha256:feed", Map.of("name", "busybox:latest"), 2);
        assertTrue(EventFilter.parse(List.of("container=0123")).admits(start));
        assertTrue(EventFilter.parse(List.of("container=web", "event=start")).admits(start));
        assertFalse(EventFilter.parse(List.of("container=web", "event=die")).admits(start));
        assertTrue(EventFilter.parse(List.of("event=die", "event=start")).admits(start));
        assertTrue(EventFilter.parse(List.of("label=tier=front")).admits(start));
        assertFalse(EventFilter.parse(List.of("label=tier=back")).admits(start));
        assertTrue(EventFilter.parse(List.of("image=busybox")).admits(start));
        assertTrue(EventFilter.parse(List.of("image=busybox")).admits(tag));
        assertFalse(EventFilter.parse(List.of("type=container")).admits(tag));
        assertThrows(dev.hutch.HutchException.class, () -> EventFilter.parse(List.of("type=plugin")));
        assertThrows(dev.hutch.HutchException.class, () -> EventFilter.parse(List.of("colour=red")));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return -1;
        }
    }
}
