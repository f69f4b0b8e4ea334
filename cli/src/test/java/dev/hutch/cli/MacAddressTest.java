package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker's {@code --mac-address}: the container's eth0 has it (seen inside and in inspect); bad ones refused with one line. */
@RequiresRoot
class MacAddressTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    @Test
    void theContainersInterfaceHasTheGivenMac() {
        HutchProcess.Result r = hutch("run", "-d", "--mac-address", "02:42:AC:11:00:99", "busybox", "sleep", "60");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        try {
            assertEquals("02:42:ac:11:00:99\n", hutch("exec", id, "cat", "/sys/class/net/eth0/address").out());
            assertTrue(hutch("inspect", id).out().contains("\"MacAddress\": \"02:42:ac:11:00:99\""));
        } finally {
            hutch("rm", "-f", id);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void badMacsAreRefused() {
        for (List<String> flags : List.of(List.of("--mac-address", "03:42:ac:11:00:99"), List.of("--mac-address", "02:42:ac:11:00"),
                List.of("--network", "none", "--mac-address", "02:42:ac:11:00:99"))) {
            List<String> a = new java.util.ArrayList<>(List.of("run", "--rm"));
            a.addAll(flags);
            a.addAll(List.of("busybox", "echo", "RAN"));
            HutchProcess.Result r = hutch(a.toArray(String[]::new));
            assertEquals(125, r.code(), flags.toString());
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().startsWith("hutch: --mac-address: "), r.err());
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
