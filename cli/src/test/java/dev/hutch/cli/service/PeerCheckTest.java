package dev.hutch.cli.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The service's decision on a peer's SO_PEERCRED uid (the real check runs in EngineService.handle). */
class PeerCheckTest {
    @Test
    void onlyRootMayUseTheService() {
        assertNull(PeerCheck.refusal(0));
        assertEquals("hutch: the engine service accepts only root (uid 1000); run hutch as root", PeerCheck.refusal(1000));
        assertNotNull(PeerCheck.refusal(65534));
    }
}
