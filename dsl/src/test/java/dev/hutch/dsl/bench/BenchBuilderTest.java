package dev.hutch.dsl.bench;

import dev.hutch.bench.Options;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BenchBuilderTest {

    @Test
    void theBlockChoosesTheBenchmarksOptions() {
        BenchBuilder b = new BenchBuilder();
        assertEquals(Options.defaults(), b.options(), "no words: the defaults of hutch bench limits");
        b.quick();
        b.cpus(0.25, 0.5);
        b.noIo();
        b.out("results");
        assertEquals(List.of(0.25, 0.5), b.options().cpuQuotas());
        assertEquals(0, b.options().ioWriteBps());
        assertEquals(Options.quick().memoryLimits(), b.options().memoryLimits());
        assertEquals(Path.of("results"), b.outDir());
    }
}
