package dev.hutch.bench;

import dev.hutch.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The renderings of a fixed set of results: every file written, each well-formed and carrying the numbers. */
class ResultsRenderingTest {
    static final long MIB = 1024 * 1024;

    static Results fixture() {
        return new Results(Instant.parse("2026-11-22T07:00:00Z"), Duration.ofMillis(84_200), "Linux 6.1, 2 cpus, cgroup v1",
                List.of(new Results.CpuRow(0.5, 2, 0.4985, 50, 50, 0.1),
                        new Results.CpuRow(1.0, 2, 0.93, 50, 48, 0.2),      // throttled yet short: a real miss
                        new Results.CpuRow(1.5, 2, 1.30, 50, 10, 0.7)),     // rarely throttled: the host was busy
                List.of(new Results.MemoryRow(16 * MIB, 100 * MIB, 16 * MIB, 1, true, 137),
                        new Results.MemoryRow(64 * MIB, 100 * MIB, 70 * MIB, 0, false, 0)),
                new Results.MinMemory(512 * 1024, 256 * 1024, 7, "exit 137, OOM-killed"),
                List.of(new Results.PidsRow(32, 32, 144)),
                new Results.IoRow("/dev/vda", 10 * MIB, 9.9 * MIB, null),
                List.of("--cpus 4 skipped: this host has 2 cpus"));
    }

    @Test
    void cpuRowsTellAMissFromABusyHost() {
        List<Results.CpuRow> rows = fixture().cpu();
        assertTrue(rows.get(0).withinGoal());
        assertEquals(-0.15, rows.get(0).errorPp(), 1e-9);
        assertFalse(rows.get(1).withinGoal());
        assertFalse(rows.get(1).hostLimited(), "throttled in 48 of 50 periods: the limit itself fell short");
        assertTrue(rows.get(2).hostLimited(), "throttled in 10 of 50 periods: the host had no cpu to give");
    }

    @Test
    void writesEveryFileWithTheNumbers(@TempDir Path dir) throws Exception {
        List<Path> files = fixture().writeTo(dir.resolve("out"));
        assertEquals(List.of("limits.txt", "limits.json", "limits.csv", "limits.svg", "limits.html"),
                files.stream().map(p -> p.getFileName().toString()).toList());

        String txt = Files.readString(dir.resolve("out/limits.txt"));
        System.out.println(txt);
        assertTrue(txt.contains("-0.15 pp"), txt);
        assertTrue(txt.contains("MISSED"), txt);
        assertTrue(txt.contains("host busy"), txt);
        assertTrue(txt.contains("512 KiB"), txt);
        assertTrue(txt.contains("NO"), "the 64 MiB row peaked above its limit: " + txt);

        Map<String, Object> json = Json.parseObject(Files.readString(dir.resolve("out/limits.json")));
        List<?> cpu = (List<?>) json.get("cpu");
        assertEquals(3, cpu.size());
        assertEquals(0.4985, ((Number) ((Map<?, ?>) cpu.get(0)).get("achieved")).doubleValue(), 1e-9);
        assertEquals(Boolean.TRUE, ((Map<?, ?>) ((List<?>) json.get("memory")).get(0)).get("oomKilled"));
        assertEquals(524288L, ((Number) ((Map<?, ?>) json.get("minMemoryForTrue")).get("smallestWorkingBytes")).longValue());

        List<String> csv = Files.readAllLines(dir.resolve("out/limits.csv"));
        assertEquals("workload,setting,metric,value,unit", csv.get(0));
        assertTrue(csv.contains("cpu,--cpus 0.5,achieved,0.4985,cpus"), csv.toString());
        assertTrue(csv.contains("pids,--pids-limit 32,reached,32,"), csv.toString());
        assertTrue(csv.stream().allMatch(l -> l.split(",", -1).length == 5), "every line has 5 cells");

        Document svg = parseXml(Files.readString(dir.resolve("out/limits.svg")));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        org.w3c.dom.NodeList circles = svg.getElementsByTagName("circle");
        int points = 0;
        for (int i = 0; i < circles.getLength(); i++)
            if ("point".equals(((org.w3c.dom.Element) circles.item(i)).getAttribute("class"))) points++;
        assertEquals(3, points, "one point per cpu row");

        String html = Files.readString(dir.resolve("out/limits.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<svg "), "the chart is inline: the page stands alone");
        assertFalse(html.contains("<script"), "no script, no external file");
    }

    @Test
    void skippedIoIsSaidNotDrawn(@TempDir Path dir) throws Exception {
        Results r = fixture();
        Results skipped = new Results(r.startedAt(), r.took(), r.host(), r.cpu(), r.memory(), r.minMemory(), r.pids(),
                new Results.IoRow(null, 10 * MIB, -1, "/ is on 0:27, which is not a block device"), r.notes());
        assertTrue(ResultsText.table(skipped).contains("skipped: / is on 0:27"));
        assertTrue(LimitsChart.svg(skipped).contains("skipped: / is on 0:27"));
        assertFalse(ResultsCsv.csv(skipped).contains("io,"));
        parseXml(LimitsChart.svg(skipped));
    }

    @Test
    void chartEscapesText() throws Exception {
        Results r = fixture();
        Results odd = new Results(r.startedAt(), r.took(), "host <with> \"odd\" & name", r.cpu(), r.memory(), r.minMemory(),
                r.pids(), r.io(), r.notes());
        parseXml(LimitsChart.svg(odd));
    }

    @Test
    void axisTicksAreRound() {
        assertEquals(1.0, LimitsChart.niceCeil(0.93));
        assertEquals(25.0, LimitsChart.niceCeil(21));
        assertEquals(50.0, LimitsChart.niceCeil(41));
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0), LimitsChart.ticks(2.0));
    }

    @Test
    void csvQuotesCellsWithCommas() {
        assertEquals("\"a,b\"", ResultsCsv.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ResultsCsv.quote("say \"hi\""));
        assertEquals("plain", ResultsCsv.quote("plain"));
    }

    static Document parseXml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
