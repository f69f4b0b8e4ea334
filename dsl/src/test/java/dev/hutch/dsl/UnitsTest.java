package dev.hutch.dsl;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {
    @Test
    void sizesAreBinaryByteCounts() {
        assertEquals(64L * 1024 * 1024, DslTesting.eval("64.mb"));
        assertEquals(1L << 30, DslTesting.eval("1.gb"));
        assertEquals(1536L * 1024 * 1024, DslTesting.eval("1.5.gb"));
        assertEquals(4096L, DslTesting.eval("4.kb"));
        assertEquals(128L * 1024 * 1024, DslTesting.eval("64.mb * 2"));
    }

    @Test
    void timesAreDurations() {
        assertEquals(Duration.ofMillis(500), DslTesting.eval("500.ms"));
        assertEquals(Duration.ofSeconds(10), DslTesting.eval("10.seconds"));
        assertEquals(Duration.ofSeconds(1), DslTesting.eval("1.second"));
        assertEquals(Duration.ofMillis(1500), DslTesting.eval("1.5.seconds"));
        assertEquals(Duration.ofMinutes(2), DslTesting.eval("2.minutes"));
    }
}
