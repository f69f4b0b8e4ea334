package dev.hutch.logs;

import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.LogConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LogReaderTest {
    @TempDir Path dir;

    private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

    /** n lines "line-i", one second apart from T0 + first seconds, the monitor's layout. */
    private static void write(Path f, int first, int n) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(f)) {
            for (int i = first; i < first + n; i++) {
                w.write("{\"time\":\"" + T0.plusSeconds(i) + "\",\"stream\":\"" + (i % 10 == 0 ? "stderr" : "stdout")
                        + "\",\"log\":\"line-" + i + "\\n\"}\n");
            }
        }
    }

    private static List<String> texts(List<LogEntry> es) { return es.stream().map(e -> e.text().strip()).toList(); }

    @Test
    void tailReadsFromTheEndAcrossRotatedFilesAndIgnoresAnUnfinishedLine() throws Exception {
        Path log = dir.resolve("c-json.log");
        write(dir.resolve("c-json.log.2"), 0, 100);
        write(dir.resolve("c-json.log.1"), 100, 100);
        write(log, 200, 3);
        Files.writeString(log, "{\"time\":\"2026-11-22T07:00:00Z\",\"stream\":\"stdout\",\"log\":\"half", java.nio.file.StandardOpenOption.APPEND);
        LogReader r = new LogReader(log);
        assertEquals(List.of("line-198", "line-199", "line-200", "line-201", "line-202"), texts(r.read(5, null)));
        assertEquals(203, r.read(-1, null).size(), "all of every file, oldest first, the half line left out");
        assertEquals("line-0", texts(r.read(-1, null)).get(0));
        assertEquals(List.of(), r.read(0, null));
    }

    @Test
    void sinceAndUntilSelectByTimeInLargeFiles() throws Exception {
        Path log = dir.resolve("c-json.log");
        write(log, 0, 50_000); // several MB: the binary search runs
        LogReader r = new LogReader(log);
        List<LogEntry> got = new ArrayList<>();
        r.emit(-1, new LogReader.Window(T0.plusSeconds(40_000), T0.plusSeconds(40_002)), got::add);
        assertEquals(List.of("line-40000", "line-40001", "line-40002"), texts(got));
        got.clear();
        r.emit(2, new LogReader.Window(null, T0.plusSeconds(10)), got::add);
        assertEquals(List.of("line-9", "line-10"), texts(got));
        assertEquals(0, LogReader.firstOffsetAtOrAfter(log, T0.minusSeconds(5)));
    }

    @Test
    void theMonitorsLayoutIsParsedWithoutTheJsonParserAndOthersStillAre() {
        LogEntry e = LogEntry.parse("{\"time\":\"2026-11-22T06:29:24.123456789Z\",\"stream\":\"stderr\",\"log\":\"a \\\"q\\\" \\u00e9\\\\\\n\"}");
        assertEquals("a \"q\" \u00e9\\\n", e.text());
        assertTrue(e.isStderr());
        LogEntry other = LogEntry.parse("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-22T06:29:24Z\"}");
        assertEquals("x\n", other.text());
        assertNull(LogEntry.parse("{\"time\":\"2026-11-22T06:29:24Z\",\"stream\":\"stdout\",\"log\":\"cut"));
        assertTrue(LogEntry.parse("{\"time\":\"2026-11-22T06:29:24Z\",\"stream\":\"hutch\",\"log\":\"hutch: 5 bytes of log lost\\n\"}").isHutch());
    }

    @Test
    void logOptionsAreDockersNamesWithADefaultCap() {
        assertEquals(new LogConfig(20L << 20, 5), LogConfig.DEFAULT);
        assertEquals(new LogConfig(10L << 20, 3), LogConfig.parse(List.of("max-size=10m", "max-file=3")));
        assertEquals(0, LogConfig.parse(List.of("max-size=-1")).maxSize());
        assertEquals("--log-opt: \"mode=fast\" is not a known log option (try max-size=10m or max-file=3)",
                assertThrows(InvalidSpecException.class, () -> LogConfig.parse(List.of("mode=fast"))).getMessage());
        assertThrows(InvalidSpecException.class, () -> LogConfig.parse(List.of("max-file=0")));
        assertThrows(InvalidSpecException.class, () -> LogConfig.parse(List.of("max-size=12xb")));
    }

    @Test
    void theHandWrittenTimeParserAgreesWithInstantParse() {
        for (String t : List.of("2026-11-22T06:29:24.123456789Z", "2026-11-22T06:29:24Z", "2026-02-28T23:59:59.5Z",
                "2024-02-29T00:00:00.000001Z", "1970-01-01T00:00:00Z", "2100-12-31T12:00:00.1234Z", "1969-07-20T20:17:40Z")) {
            assertEquals(Instant.parse(t), LogEntry.parseInstant(t, 0, t.length()), t);
        }
        assertEquals(Instant.parse("2026-11-22T06:29:24+01:00"), LogEntry.parseInstant("2026-11-22T06:29:24+01:00", 0, 25));
    }

    @Test
    void copyGivesWhatEmitGivesByteForByte() throws Exception {
        Path log = dir.resolve("c-json.log");
        write(dir.resolve("c-json.log.1"), 0, 1000);
        write(log, 1000, 1000);
        Files.writeString(log, "{\"time\":\"2026-11-22T07:00:00Z\",\"stream\":\"stdout\",\"log\":\"q\\\"\\\\ \\u00e9 \\ud83d\\ude00\\t\\n\"}\n"
                + "{\"log\":\"other order\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-22T07:00:01Z\"}\n"
                + "{\"time\":\"2026-11-22T07:00:02Z\",\"stream\":\"hutch\",\"log\":\"hutch: 3 bytes of log lost\\n\"}\n"
                + "not json at all\n\n", java.nio.file.StandardOpenOption.APPEND);
        LogReader r = new LogReader(log);
        for (LogReader.Window w : List.of(LogReader.Window.ALL, new LogReader.Window(T0.plusSeconds(500), T0.plusSeconds(1500)))) {
            for (boolean ts : List.of(false, true)) {
                StringBuilder out = new StringBuilder(), err = new StringBuilder();
                r.emit(-1, w, e -> (e.isStderr() || e.isHutch() ? err : out).append(ts ? e.time() + " " : "").append(e.text()));
                java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(), e = new java.io.ByteArrayOutputStream();
                r.copy(w, ts, o, e);
                assertEquals(out.toString(), o.toString(java.nio.charset.StandardCharsets.UTF_8), w + " " + ts);
                assertEquals(err.toString(), e.toString(java.nio.charset.StandardCharsets.UTF_8), w + " " + ts);
            }
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        r.copy(LogReader.Window.ALL, false, o, new java.io.ByteArrayOutputStream());
        assertTrue(o.toString(java.nio.charset.StandardCharsets.UTF_8).endsWith("q\"\\ \u00e9 \ud83d\ude00\t\n"));
    }
}
