package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's --dns, --dns-search, --dns-option and --add-host (the container's resolv.conf and
 * hosts lines), --stop-signal, --stop-timeout and the image's StopSignal (what `stop` sends and
 * how long it waits, seen in the exit code the command's trap chooses), --init and --cidfile.
 * Bad values: one line, exit 125, nothing left.
 */
@RequiresRoot
class NameAndStopFlagsTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), roots.leftoverContainers(), "every container of the test is gone");
    }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static HutchProcess.Result run(List<String> flags, String... command) {
        List<String> a = new ArrayList<>(List.of("run", "--rm"));
        a.addAll(flags);
        a.add("busybox");
        a.addAll(List.of(command));
        return hutch(a.toArray(String[]::new));
    }

    @Test
    void dnsFlagsReplaceTheirResolvConfLinesAndAddHostAddsHostsLines() {
        HutchProcess.Result r = run(List.of("--dns", "10.9.9.9", "--dns", "fd00::53", "--dns-search", "corp.example",
                        "--dns-search", "lab.example", "--dns-option", "ndots:3", "--dns-option", "timeout:1",
                        "--add-host", "db:10.1.2.3", "--add-host", "gw:host-gateway", "--add-host", "six:::1"),
                "sh", "-c", "cat /etc/resolv.conf; echo ---; cat /etc/hosts");
        assertEquals(0, r.code(), r.err());
        String[] parts = r.out().split("---\n");
        List<String> resolv = parts[0].lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("nameserver 10.9.9.9", "nameserver fd00::53", "search corp.example lab.example",
                "options ndots:3 timeout:1"), resolv, "the host's nameserver, search and options lines are replaced");
        String hosts = parts[1];
        assertTrue(hosts.contains("\n10.1.2.3\tdb\n"), hosts);
        assertTrue(hosts.contains("\n::1\tsix\n"), hosts);
        // host-gateway: the bridge's own address, the container's default gateway
        HutchProcess.Result route = run(List.of(), "sh", "-c", "ip route | awk '/default/ {print $3}'");
        assertTrue(hosts.contains("\n" + route.out().trim() + "\tgw\n"), route.out() + " / " + hosts);

        HutchProcess.Result none = run(List.of("--network", "none", "--dns-search", "."), "cat", "/etc/resolv.conf");
        assertFalse(none.out().contains("search"), "--dns-search . means no search line: " + none.out());
    }

    static String detached(List<String> flags, String image, String script) {
        List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none"));
        a.addAll(flags);
        a.addAll(List.of(image, "sh", "-c", script));
        HutchProcess.Result r = hutch(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    static String exitCode(String id) { return hutch("inspect", "--format", "{{.State.ExitCode}}", id).out().trim(); }

    // A loop of short sleeps so the shell runs its trap at once
    static final String TRAPS = "trap 'exit 41' TERM; trap 'exit 42' USR1; trap 'exit 43' PWR; while :; do sleep 0.1; done";

    @Test
    void stopSendsTheContainersStopSignalAndWaitsItsStopTimeout() {
        String usr1 = detached(List.of("--stop-signal", "SIGUSR1"), "busybox", TRAPS);
        String pwr = detached(List.of("--stop-signal", "PWR"), "busybox", TRAPS);
        String plain = detached(List.of(), "busybox", TRAPS);
        String deaf = detached(List.of("--stop-timeout", "1"), "busybox", "trap '' TERM; while :; do sleep 0.1; done");
        try {
            assertEquals(0, hutch("stop", usr1, pwr, plain).code());
            assertEquals("42", exitCode(usr1), "--stop-signal SIGUSR1");
            assertEquals("43", exitCode(pwr), "a signal PID 1 would ignore without a handler still reaches the command");
            assertEquals("41", exitCode(plain), "SIGTERM by default");
            long t0 = System.nanoTime();
            assertEquals(0, hutch("stop", deaf).code());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("137", exitCode(deaf), "SIGKILL once --stop-timeout ran out");
            assertTrue(ms < 8_000, "--stop-timeout 1, not docker's 10 s: " + ms + " ms");

            // stop's own -s and -t win over the container's
            String again = detached(List.of("--stop-signal", "PWR"), "busybox", TRAPS);
            try {
                assertEquals(0, hutch("stop", "-s", "USR1", again).code());
                assertEquals("42", exitCode(again));
            } finally {
                hutch("rm", "-f", again);
            }
        } finally {
            hutch("rm", "-f", usr1, pwr, plain, deaf);
        }
    }

    @Test
    void theImagesStopSignalIsUsedUnlessRunSaysOtherwise() {
        String base = detached(List.of(), "busybox", "sleep 60");
        String image = "hutch-test-stopsignal:" + roots.tag().toLowerCase();
        try {
            assertEquals(0, hutch("commit", "-c", "STOPSIGNAL SIGUSR1", base, image).code());
            assertTrue(hutch("image", "inspect", image).out().contains("\"StopSignal\": \"SIGUSR1\""));
            String fromImage = detached(List.of(), image, TRAPS);
            String overridden = detached(List.of("--stop-signal", "PWR"), image, TRAPS);
            try {
                assertEquals(0, hutch("stop", fromImage, overridden).code());
                assertEquals("42", exitCode(fromImage), "the image's StopSignal");
                assertEquals("43", exitCode(overridden), "--stop-signal over the image's");
            } finally {
                hutch("rm", "-f", fromImage, overridden);
            }
        } finally {
            hutch("rm", "-f", base);
            hutch("rmi", image);
        }
    }

    @Test
    void cidfileGetsTheIdAndAnExistingOneIsRefused() throws Exception {
        Path cid = roots.dir().resolve("cid");
        HutchProcess.Result r = run(List.of("--network", "none", "--init", "--cidfile", cid.toString()), "true");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(cid).matches("[0-9a-f]{64}"), Files.readString(cid));
        HutchProcess.Result again = run(List.of("--network", "none", "--cidfile", cid.toString()), "echo", "RAN");
        assertEquals(125, again.code());
        assertFalse(again.out().contains("RAN"));
        assertTrue(again.err().contains("--cidfile: \"" + cid + "\" exists"), again.err());
        Files.delete(cid);
        HutchProcess.Result failed = run(List.of("--network", "none", "--cidfile", cid.toString(), "--dns", "x"), "true");
        assertEquals(125, failed.code());
        assertFalse(Files.exists(cid), "a failed run removes its cidfile");
    }

    @Test
    void badValuesAreRefusedWithOneLineAndExit125() {
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--dns", "1.2.3"), "--dns: \"1.2.3\" is not an IP address");
        cases.put(List.of("--dns-search", "bad domain"), "is not a valid domain");
        cases.put(List.of("--dns-option", "a b"), "is not one resolv.conf option");
        cases.put(List.of("--add-host", "nocolon"), "is not HOST:IP");
        cases.put(List.of("--add-host", "db:10.0.0.300"), "is not an IP address or host-gateway");
        cases.put(List.of("--network", "none", "--add-host", "gw:host-gateway"), "needs a bridge or user network");
        cases.put(List.of("--stop-signal", "SIGFOO"), "--stop-signal: \"SIGFOO\" is not a signal");
        cases.put(List.of("--stop-timeout", "-2"), "--stop-timeout: \"-2\" must be seconds");
        cases.put(List.of("--stop-timeout", "soon"), "is not a whole number");
        cases.forEach((flags, expected) -> {
            HutchProcess.Result r = run(flags, "echo", "RAN");
            assertEquals(125, r.code(), flags + ": " + r.err());
            assertFalse(r.out().contains("RAN"), flags.toString());
            assertEquals(1, r.err().trim().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains(expected), flags + ": " + r.err());
        });
    }
}
