package dev.hutch.cgroup;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CgroupTextTest {

    @Test
    void singleValuesReadMaxAsMinusOne() {
        assertEquals(-1, CgroupText.value("max\n"));
        assertEquals(100000, CgroupText.value("100000\n"));
        assertEquals(-1, CgroupText.value("-1"));
    }

    @Test
    void v1UnlimitedMemoryIsMinusOne() {
        assertEquals(-1, CgroupText.limit("9223372036854771712\n"));
        assertEquals(67108864, CgroupText.limit("67108864\n"));
    }

    @Test
    void flatKeyedReadsV1MemoryStat() {
        String fixture = """
                cache 135168
                rss 4325376
                total_inactive_anon 8667136
                total_inactive_file 14327808
                hierarchical_memory_limit 9223372036854771712
                """;
        Map<String, Long> m = CgroupText.flatKeyed(fixture);
        assertEquals(14327808L, m.get("total_inactive_file"));
        assertEquals(9223372036854771712L, m.get("hierarchical_memory_limit"));
        assertEquals(5, m.size());
    }

    @Test
    void flatKeyedReadsOomControlAndSkipsOddLines() {
        Map<String, Long> m = CgroupText.flatKeyed("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n\nweird line here\nkey max\n");
        assertEquals(3L, m.get("oom_kill"));
        assertEquals(3, m.size());
    }

    @Test
    void pidsOnePerLine() {
        assertEquals(List.of(12L, 345L), CgroupText.pids("12\n345\n"));
        assertEquals(List.of(), CgroupText.pids(""));
    }

    @Test
    void blkioServiceBytesSumsReadAndWriteOverDevices() {
        String fixture = """
                254:0 Read 1048576
                254:0 Write 4096
                254:0 Sync 1052672
                254:0 Async 0
                254:0 Discard 0
                254:0 Total 1052672
                8:0 Read 10
                8:0 Write 20
                Total 1052702
                """;
        assertEquals(new CgroupText.ReadWrite(1048586, 4116), CgroupText.blkioServiceBytes(fixture));
        assertEquals(new CgroupText.ReadWrite(0, 0), CgroupText.blkioServiceBytes("Total 0\n"));
    }

    @Test
    void ioStatSumsRbytesAndWbytes() {
        String fixture = """
                254:0 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0
                8:16 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0
                """;
        assertEquals(new CgroupText.ReadWrite(1459300, 314773504), CgroupText.ioStat(fixture));
    }

    @Test
    void cpuMaxParsesAndFormats() {
        assertEquals(new CgroupText.CpuMax(-1, 100000), CgroupText.CpuMax.parse("max 100000\n"));
        assertEquals(new CgroupText.CpuMax(50000, 100000), CgroupText.CpuMax.parse("50000 100000"));
        assertEquals("max 100000", new CgroupText.CpuMax(-1, 100000).format());
        assertEquals("25000 50000", new CgroupText.CpuMax(25000, 50000).format());
        assertThrows(IllegalArgumentException.class, () -> CgroupText.CpuMax.parse("50000"));
    }

    @Test
    void mountinfoOctalEscapes() {
        assertEquals("/mnt/a b", CgroupText.unescapeOctal("/mnt/a\\040b"));
        assertEquals("/plain", CgroupText.unescapeOctal("/plain"));
        assertEquals("/end\\04", CgroupText.unescapeOctal("/end\\04"));
    }
}
