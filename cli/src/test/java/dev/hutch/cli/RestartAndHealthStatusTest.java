package dev.hutch.cli;

import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.HealthRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ps's STATUS words for a restarting container and a checked one, as docker writes them. */
class RestartAndHealthStatusTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

    static ContainerState state(ContainerStatus status) {
        return new ContainerState.Builder("0123456789abcdef", "c", ContainerSpec.builder("busybox").build()).status(status)
                .exitCode(1).started(NOW.minusSeconds(5)).finished(NOW.minusSeconds(2)).build();
    }

    @Test
    void restartingShowsTheLastExitCodeAndWhenItEnded() {
        assertEquals("Restarting (1) 2 seconds ago", Views.status(state(ContainerStatus.RESTARTING), NOW));
    }

    @Test
    void healthFollowsUp() {
        ContainerState running = state(ContainerStatus.RUNNING);
        assertEquals("Up 5 seconds (healthy)", Views.status(running, NOW, new HealthRecord("healthy", 0, List.of())));
        assertEquals("Up 5 seconds (unhealthy)", Views.status(running, NOW, new HealthRecord("unhealthy", 3, List.of())));
        assertEquals("Up 5 seconds (health: starting)", Views.status(running, NOW, new HealthRecord("starting", 0, List.of())));
        assertEquals("Up 5 seconds", Views.status(running, NOW, null));
    }

    @Test
    void theMonitorsHealthFileReadsAsDockersStateHealth() {
        HealthRecord h = HealthRecord.parse("{\"Status\":\"unhealthy\",\"FailingStreak\":3,\"Log\":[{\"Start\":\"a\",\"End\":\"b\","
                + "\"ExitCode\":-1,\"Output\":\"Health check exceeded timeout (30000ms)\"}]}");
        assertEquals("unhealthy", h.toDocker().get("Status"));
        assertEquals(3, h.toDocker().get("FailingStreak"));
        assertEquals(-1L, ((java.util.Map<?, ?>) h.log().get(0)).get("ExitCode"));
    }
}
