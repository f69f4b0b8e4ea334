package dev.hutch.cli.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prune endpoints' filter rules, without root: docker's until values, label filters, and which volumes an API version prunes. */
class PruneFiltersTest {
    @Test
    void untilTakesDockersThreeForms() {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals(Instant.ofEpochSecond(1700000000, 500_000_000), PruneEndpoints.timestamp("1700000000.5", now));
        assertEquals(now.minus(Duration.ofMinutes(90)), PruneEndpoints.timestamp("1h30m", now));
        assertEquals(Instant.parse("2025-12-31T23:00:00Z"), PruneEndpoints.timestamp("2026-01-01T00:00:00+01:00", now));
        ApiError e = assertThrows(ApiError.class, () -> PruneEndpoints.timestamp("yesterday", now));
        assertEquals(400, e.status);
    }

    @Test
    void labelFiltersMustAllMatchAndNegatedOnesNone() {
        Map<String, String> labels = Map.of("a", "1", "b", "2");
        assertTrue(PruneEndpoints.labels(Map.of("label", List.of("a", "b=2")), labels));
        assertFalse(PruneEndpoints.labels(Map.of("label", List.of("a", "b=3")), labels));
        assertFalse(PruneEndpoints.labels(Map.of("label!", List.of("a=1")), labels));
        assertTrue(PruneEndpoints.labels(Map.of("label!", List.of("c")), labels));
    }

    @Test
    void volumesBefore142AreAllPrunedAndFrom142OnlyWithAll() {
        assertTrue(PruneEndpoints.allVolumes("/v1.41/volumes/prune", List.of()));
        assertFalse(PruneEndpoints.allVolumes("/v1.43/volumes/prune", List.of()));
        assertTrue(PruneEndpoints.allVolumes("/v1.43/volumes/prune", List.of("true")));
        assertEquals(PruneEndpoints.allVolumes("/volumes/prune", List.of()), !DockerApi.API_VERSION.matches("1\\.(4[2-9]|[5-9]\\d)"));
        assertThrows(ApiError.class, () -> PruneEndpoints.allVolumes("/v1.43/volumes/prune", List.of("maybe")));
    }
}
