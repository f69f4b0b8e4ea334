package dev.hutch.engine;

import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.RestartPolicy;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.RestartRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restart decision and docker's backoff, on records (no host). */
class RestartsTest {
    static ContainerState exited(RestartPolicy p, int code, RestartRecord r, long ranMillis, String error) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        return new ContainerState.Builder("0123456789abcdef", "c", ContainerSpec.builder("busybox").restart(p).build())
                .status(ContainerStatus.EXITED).exitCode(code).started(start).finished(start.plusMillis(ranMillis))
                .error(error).restart(r).build();
    }

    @Test
    void aManualStopOrAFailedStartNeverRestarts() {
        RestartPolicy always = new RestartPolicy("always", 0);
        assertTrue(Restarts.shouldRestart(exited(always, 0, RestartRecord.EMPTY, 10, null)));
        assertFalse(Restarts.shouldRestart(exited(always, 137, RestartRecord.EMPTY.withManuallyStopped(true), 10, null)));
        assertFalse(Restarts.shouldRestart(exited(always, 127, RestartRecord.EMPTY, 10, "exec: \"nope\": not found")));
        assertFalse(Restarts.shouldRestart(exited(new RestartPolicy("on-failure", 2), 1, new RestartRecord(2, false, 200, 0, 0), 10, null)));
    }

    @Test
    void backoffDoublesFrom100msUpToAMinuteAndResetsAfterALongRun() {
        RestartPolicy p = new RestartPolicy("always", 0);
        assertEquals(100, Restarts.nextDelay(exited(p, 0, RestartRecord.EMPTY, 10, null)));
        assertEquals(400, Restarts.nextDelay(exited(p, 0, new RestartRecord(2, false, 200, 0, 0), 10, null)));
        assertEquals(60_000, Restarts.nextDelay(exited(p, 0, new RestartRecord(20, false, 51_200, 0, 0), 10, null)));
        assertEquals(100, Restarts.nextDelay(exited(p, 0, new RestartRecord(5, false, 3_200, 0, 0), 10_000, null)), "ran 10 s");
    }
}
