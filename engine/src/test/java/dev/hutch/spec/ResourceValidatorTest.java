package dev.hutch.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceValidatorTest {

    private static InvalidSpecException refused(Resources r) {
        return assertThrows(InvalidSpecException.class, () -> ResourceValidator.validate(r, 2));
    }

    @Test
    void cpusBelowTheKernelsSmallestQuotaIsRefusedWithTheSmallestThatWorks() {
        InvalidSpecException e = refused(Resources.builder().cpus(0.005).build());
        assertEquals("--cpus", e.field());
        assertTrue(e.getMessage().contains("--cpus 0.01"), e.getMessage());
        assertDoesNotThrow(() -> ResourceValidator.validate(Resources.builder().cpus(0.01).build(), 2));
        // with a longer period a smaller share still gives a 1 ms quota
        assertDoesNotThrow(() -> ResourceValidator.validate(Resources.builder().cpus(0.005).cpuPeriod(1_000_000L).build(), 2));
    }

    @Test
    void theLimitsTheBenchmarkUsesPass() {
        for (double cpus : new double[]{0.1, 0.25, 0.5, 1.0, 1.5})
            assertDoesNotThrow(() -> ResourceValidator.validate(Resources.builder().cpus(cpus).build(), 2));
        assertDoesNotThrow(() -> ResourceValidator.validate(Resources.builder().memory(16L << 20).memorySwap(16L << 20).build(), 2));
        assertDoesNotThrow(() -> ResourceValidator.validate(Resources.builder().pidsLimit(0L).build(), 2));
    }

    @Test
    void swapBelowMemoryAndReservationAboveMemoryAreRefused() {
        assertEquals("--memory-swap", refused(Resources.builder().memory(64L << 20).memorySwap(32L << 20).build()).field());
        assertEquals("--memory-reservation", refused(Resources.builder().memory(64L << 20).memoryReservation(128L << 20).build()).field());
        assertEquals("--device-read-bps", refused(Resources.builder().deviceReadBps(new Resources.DeviceRate("sda", 1)).build()).field());
    }
}
