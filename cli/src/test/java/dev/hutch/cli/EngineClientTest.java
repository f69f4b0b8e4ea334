package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The warm engine end to end, through the real native client and the real service: the same
 * answers as in-process, many calls at once, per-call environment, cwd and stdin, and the
 * daemonless guarantees (the service killed with SIGKILL mid-run loses nothing).
 */
@RequiresRoot
class EngineClientTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() {
        assertTrue(Files.isExecutable(EngineServiceUnderTest.CLIENT), "the client is built: " + EngineServiceUnderTest.CLIENT);
        roots = new TestRoots();
    }

    @AfterAll
    static void tearDown() { roots.close(); }

    /** Through the client and this JVM's service, with the given stdin (null: /dev/null) and extra environment. */
    static Result viaService(Map<String, String> extraEnv, Path cwd, byte[] stdin, String... args) {
        List<String> cmd = EngineServiceUnderTest.clientCommand(HutchProcess.coldCommand(List.of()));
        cmd.addAll(List.of(args));
        return exec(cmd, extraEnv, cwd, stdin, true);
    }

    static Result inProcess(String... args) {
        List<String> cmd = HutchProcess.coldCommand(List.of());
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of(), null, null, false);
    }

    static Result exec(List<String> cmd, Map<String, String> extraEnv, Path cwd, byte[] stdin, boolean service) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (cwd != null) pb.directory(cwd.toFile());
        pb.environment().putAll(roots.environment());
        if (service) pb.environment().putAll(EngineServiceUnderTest.environment());
        pb.environment().putAll(extraEnv);
        return HutchProcess.capture(pb, stdin, cmd.toString());
    }

    @Test
    void theServiceAnswersExactlyAsTheInProcessCli() {
        List<String[]> calls = List.of(
                new String[] {"run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"},
                new String[] {"run", "--rm", "--network", "none", "--memory", "lots", "busybox", "true"},
                new String[] {"inspect", "no-such-container-" + roots.tag()},
                new String[] {"frobnicate"},
                new String[] {"ps", "-a", "--format", "{{.Names}}"},
                new String[] {"--version"},
                new String[] {"run", "--help"});
        for (String[] call : calls) {
            Result cold = inProcess(call), warm = viaService(Map.of(), null, null, call);
            assertEquals(cold, warm, "hutch " + String.join(" ", call));
        }
        assertNotEquals(-1, EngineServiceUnderTest.pid(), "the service answered, and recorded its pid");
    }

    @Test
    void twentyCallsAtOnceThroughOneService() {
        viaService(Map.of(), null, null, "ps");
        long pid = EngineServiceUnderTest.pid();
        List<CompletableFuture<Result>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String n = Integer.toString(i);
            calls.add(CompletableFuture.supplyAsync(() -> i2(n)));
        }
        for (int i = 0; i < 20; i++) {
            Result r = calls.get(i).join();
            if (i % 2 == 0) assertEquals(new Result(0, i + "\n", ""), r, "call " + i);
            else assertEquals(0, r.code(), "ps, call " + i + ": " + r);
        }
        assertEquals(pid, EngineServiceUnderTest.pid(), "one service answered all of them");
        assertEquals(List.of(), roots.leftoverContainers());
    }

    private static Result i2(String n) {
        return Integer.parseInt(n) % 2 == 0
                ? viaService(Map.of(), null, null, "run", "--rm", "--network", "none", "busybox", "echo", n)
                : viaService(Map.of(), null, null, "ps", "-a");
    }

    @Test
    void environmentCwdAndStdinAreTheCallersOwn() throws Exception {
        Path a = Files.createDirectories(roots.dir().resolve("cwd-a")), b = Files.createDirectories(roots.dir().resolve("cwd-b"));
        Files.writeString(a.resolve("vars"), "WHERE=a\n");
        Files.writeString(b.resolve("vars"), "WHERE=b\n");
        String[] args = {"run", "--rm", "--network", "none", "--env-file", "vars", "-e", "FOO", "busybox", "sh", "-c", "echo $WHERE $FOO"};
        CompletableFuture<Result> ra = CompletableFuture.supplyAsync(() -> viaService(Map.of("FOO", "from-a"), a, null, args));
        CompletableFuture<Result> rb = CompletableFuture.supplyAsync(() -> viaService(Map.of("FOO", "from-b"), b, null, args));
        assertEquals(new Result(0, "a from-a\n", ""), ra.join());
        assertEquals(new Result(0, "b from-b\n", ""), rb.join());

        Result piped = viaService(Map.of(), null, "hello through the socket\n".getBytes(StandardCharsets.UTF_8),
                "run", "--rm", "-i", "--network", "none", "busybox", "sh", "-c", "cat; echo end");
        assertEquals(new Result(0, "hello through the socket\nend\n", ""), piped);
    }

    @Test
    void theServiceKilledMidRunLosesNothing() throws Exception {
        String name = "svc-kill-" + roots.tag();
        viaService(Map.of(), null, null, "ps");
        long pid = EngineServiceUnderTest.pid();
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> viaService(Map.of(), null, null,
                "run", "--name", name, "--network", "none", "busybox", "sh", "-c", "sleep 2; echo done"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (!viaService(Map.of(), null, null, "ps", "--format", "{{.Names}}").out().contains(name)) {
            assertTrue(System.currentTimeMillis() < deadline, "the container started");
            Thread.sleep(50);
        }
        assertEquals(pid, EngineServiceUnderTest.pid());
        // The pid the service recorded for itself, checked to be a JVM running `engine serve`.
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("engine serve"), cmdline);
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();

        Result killed = run.get(30, TimeUnit.SECONDS);
        assertEquals(125, killed.code(), killed.toString());
        assertTrue(killed.err().contains("engine service stopped"), killed.err());

        // The container ran on under its monitor, which recorded its end; the next call starts a new service.
        deadline = System.currentTimeMillis() + 30_000;
        Result ps;
        while (!(ps = viaService(Map.of(), null, null, "ps", "-a", "--format", "{{.Names}} {{.Status}}")).out().contains(name + " Exited (0)")) {
            assertTrue(System.currentTimeMillis() < deadline, "the container's end was recorded: " + ps);
            Thread.sleep(100);
        }
        assertNotEquals(pid, EngineServiceUnderTest.pid(), "a new service answered");
        assertEquals(new Result(0, "done\n", ""), viaService(Map.of(), null, null, "logs", name));
        assertEquals(0, viaService(Map.of(), null, null, "rm", "-f", name).code());
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void engineStatusAndStop() {
        viaService(Map.of(), null, null, "ps");
        long pid = EngineServiceUnderTest.pid();
        Result status = viaService(Map.of(), null, null, "engine", "status");
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains(Long.toString(pid)), status.out());

        Result stop = viaService(Map.of(), null, null, "engine", "stop");
        assertEquals(0, stop.code(), stop.toString());
        long deadline = System.currentTimeMillis() + 15_000;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.currentTimeMillis() < deadline, "the service ended");
            Thread.onSpinWait();
        }
        assertFalse(Files.exists(EngineServiceUnderTest.socket()), "its socket is gone");
        Result after = viaService(Map.of(), null, null, "engine", "status");
        assertEquals(1, after.code(), after.toString());
        assertTrue(after.out().contains("not running") || after.err().contains("not running"), after.toString());
    }

    @Test
    void aCallerOtherThanRootIsRefusedWithOneClearLine() {
        // uid 65534, still able to read the build under /root/.m2 (dac_read_search) but nothing more:
        // the client runs the command in-process (the service is root's), which refuses it up front.
        assertTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is installed");
        for (String[] call : List.of(new String[] {"ps"}, new String[] {"run", "--rm", "--network", "none", "busybox", "true"})) {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"));
            cmd.addAll(EngineServiceUnderTest.clientCommand(HutchProcess.coldCommand(List.of())));
            cmd.addAll(List.of(call));
            Result r = exec(cmd, Map.of(), Path.of("/"), null, true);
            assertEquals(125, r.code(), r.toString());
            assertEquals("hutch: " + call[0] + " needs root (uid 65534 here): it makes namespaces, cgroups and mounts and keeps its"
                    + " state in /var/run/hutch; run it with sudo\n", r.err());
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aCommandThatFailsOnBadInputChangesNothingThroughTheService() {
        Result r = viaService(Map.of(), null, null, "run", "--rm", "--cpus", "-1", "busybox", "true");
        assertEquals(125, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
