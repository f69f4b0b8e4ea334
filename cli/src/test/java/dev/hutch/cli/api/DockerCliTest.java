package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * hutch's Docker Engine API driven by the real docker CLI (Debian's docker.io client; its dockerd
 * never runs): a `hutch engine serve` process on the test's own roots serves the API on a socket
 * in the test's directory, and every assertion looks at the effect from outside as well: the
 * container's process in /proc, its cgroup's memory limit, its state dir gone after rm.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerCliTest {
    static DockerCli cli;
    static TestRoots roots;
    static Path socket;

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
        socket = cli.socket();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli == null) return;
        try {
            cli.stopService();
            assertFalse(Files.exists(socket), "the Docker API socket outlived its service");
        } finally {
            cli.close(); // no container left, roots removed
        }
    }

    static Result docker(String... args) throws IOException, InterruptedException { return cli.run(null, args); }

    /** docker with {@code input} as its stdin; null: /dev/null. */
    static Result dockerWithInput(String input, String... args) throws IOException, InterruptedException { return cli.run(input, args); }

    static Result ok(String... args) throws IOException, InterruptedException {
        Result r = docker(args);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ":\n" + r);
        return r;
    }

    String name(String what) { return "dk-" + what + "-" + roots.tag(); }

    @Test
    void theSocketIsRootsOnlyAndVersionNegotiatesApi141() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        Result v = ok("version", "--format", "{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}");
        assertEquals("1.41 1.41 1.12 linux", v.out().trim());
    }

    @Test
    void aPeerThatIsNotRootIsRefusedBySoPeercred() throws Exception {
        Path python = Path.of("/usr/bin/python3"), setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(python) && Files.isExecutable(setpriv), "needs /usr/bin/python3 and /usr/bin/setpriv to connect as uid 65534");
        var socketMode = Files.getPosixFilePermissions(socket);
        var dirMode = Files.getPosixFilePermissions(socket.getParent());
        try {
            // Only for this test: let uid 65534 reach the socket, so the SO_PEERCRED check behind the
            // 0600 mode is what refuses it (it connects by a path relative to the socket's directory).
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            String client = String.join("\n", "import socket, sys", "s = socket.socket(socket.AF_UNIX)", "s.connect(sys.argv[1])",
                    "s.sendall(b'GET /v1.41/containers/json HTTP/1.1\\r\\nHost: api\\r\\n\\r\\n')", "d = b''",
                    "while True:", "    c = s.recv(4096)", "    if not c: break", "    d += c", "sys.stdout.write(d.decode())");
            Process p = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups", python.toString(), "-c",
                    client, socket.getFileName().toString()).directory(socket.getParent().toFile())
                    .redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
            String answer = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
            assertTrue(answer.endsWith("{\"message\":\"hutch's Docker API accepts only root (uid 65534); run docker as root\"}\n"), answer);
        } finally {
            Files.setPosixFilePermissions(socket, socketMode);
            Files.setPosixFilePermissions(socket.getParent(), dirMode);
        }
    }

    @Test
    void runDetachedMakesARealContainerThatPsInspectStopAndRmSee() throws Exception {
        String name = name("run");
        String id = ok("run", "-d", "--name", name, "--memory", "64m", "--network", "none", "busybox", "sleep", "30").out().trim();
        assertTrue(id.matches("[0-9a-f]{64}"), "run -d prints the id: " + id);
        try {
            long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", name).out().trim());
            assertTrue(pid > 1, "pid " + pid);
            // State.Pid is the container's PID 1 as the host sees it: hutch's init, whose child runs the command
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("hutch-init"), "the host's /proc/" + pid);
            assertEquals(List.of("sleep\u000030\u0000"), childrenCommandLines(pid), "the children of " + pid);
            assertEquals(64L << 20, memoryLimit(pid), "the cgroup's memory limit, read from the host");
            assertEquals("running true " + (64L << 20) + " [sleep 30] busybox",
                    ok("inspect", "--format", "{{.State.Status}} {{.State.Running}} {{.HostConfig.Memory}} {{.Config.Cmd}} {{.Config.Image}}", name)
                            .out().trim());

            String running = ok("ps", "--filter", "name=" + name, "--format", "{{.ID}} {{.Names}} {{.Status}}").out();
            assertTrue(running.startsWith(id.substring(0, 12) + " " + name + " Up "), running);
            assertEquals("", ok("ps", "-a", "--filter", "name=" + name, "--filter", "status=exited", "--format", "{{.ID}}").out().trim());
            String info = ok("info", "--format", "{{.ContainersRunning}} {{.KernelVersion}} {{.CgroupDriver}} {{.OSType}}").out().trim();
            assertTrue(Integer.parseInt(info.split(" ")[0]) >= 1, info);
            assertTrue(info.endsWith(" " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim() + " cgroupfs linux"), info);

            ok("stop", "-t", "5", name);
            assertFalse(Files.exists(Path.of("/proc/" + pid)), "the container's process is gone after stop");
            assertEquals("exited 143", ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out().trim(),
                    "sleep ended by SIGTERM: 128+15, as docker");
            assertEquals(id.substring(0, 12), ok("ps", "-a", "--filter", "status=exited", "--filter", "name=" + name, "--format", "{{.ID}}")
                    .out().trim());
            assertEquals("", ok("ps", "--filter", "name=" + name, "--format", "{{.ID}}").out().trim(), "ps without -a: running only");
        } finally {
            docker("rm", "-f", name);
        }
        assertFalse(Files.exists(roots.config().containerStateDir(id)), "rm -f removes the state dir");
        Result gone = docker("inspect", name);
        assertEquals(1, gone.code(), gone.toString());
        assertTrue(gone.err().contains("No such object: " + name), gone.toString());
    }

    @Test
    void aBridgedContainerShowsTheAddressItsNetworkNamespaceHas() throws Exception {
        String name = name("net");
        ok("run", "-d", "--name", name, "busybox", "sleep", "30"); // the default network: the test's own bridge
        try {
            String[] net = ok("inspect", "--format", "{{.State.Pid}} {{.NetworkSettings.IPAddress}} {{.HostConfig.NetworkMode}}", name)
                    .out().trim().split(" ");
            String subnetPrefix = roots.config().bridgeSubnet().substring(0, roots.config().bridgeSubnet().lastIndexOf('.') + 1);
            assertTrue(net[1].startsWith(subnetPrefix), "the address " + net[1] + " is in " + roots.config().bridgeSubnet());
            assertEquals("default", net[2]);
            assertTrue(Files.readString(Path.of("/proc/" + net[0] + "/net/fib_trie")).contains(net[1]),
                    "the container's network namespace, seen from the host, has " + net[1]);
        } finally {
            ok("rm", "-f", name);
        }
    }

    @Test
    void anInProcessRunLoadsNoneOfTheApi() {
        assumeTrue(!"service".equals(System.getProperty("hutch.cli.via")),
                "about the in-process JVM: through the service, HutchProcess runs the client, not a JVM");
        var run = dev.hutch.cli.HutchProcess.run(roots.environment(), List.of("-verbose:class"), "run", "--rm", "--network", "none",
                "busybox", "true");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("dev.hutch.cli.Main "), "-verbose:class lists what the JVM loaded");
        List<String> loaded = run.out().lines().filter(l -> l.contains("dev.hutch.cli.api.") || l.contains("org.newsclub.")).toList();
        assertEquals(List.of(), loaded, "the run path stays free of the API server and junixsocket");
    }

    @Test
    void logsOfAFinishedContainerKeepStdoutAndStderrApartAndWaitGivesItsCode() throws Exception {
        String name = name("logs");
        ok("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c", "echo to-out; echo to-err >&2; exit 3");
        try {
            assertEquals("3", ok("wait", name).out().trim());
            Result logs = ok("logs", name);
            assertEquals("to-out\n", logs.out());
            assertEquals("to-err\n", logs.err());
            Result stamped = ok("logs", "--timestamps", "--tail", "1", name);
            assertTrue((stamped.out() + stamped.err()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z to-(out|err)\n"), stamped.toString());
            assertEquals("exited 3", ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out().trim());
        } finally {
            ok("rm", name);
        }
    }

    @Test
    void createThenStartIsDockersSplitAndATakenNameIsAConflict() throws Exception {
        String name = name("create");
        String id = ok("create", "--name", name, "--network", "none", "busybox", "sh", "-c", "echo one; sleep 1; echo two").out().trim();
        try {
            assertEquals("created 0", ok("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", name).out().trim());
            assertTrue(Files.isDirectory(roots.config().containerStateDir(id)), "created: the engine's record, as hutch create makes it");
            assertTrue(Files.isDirectory(roots.config().containerDataDir(id)), "and its data dir");
            Result taken = docker("create", "--name", name, "busybox", "true");
            assertEquals(1, taken.code(), taken.toString()); // the docker CLI: 125 for run, 1 for create
            assertTrue(taken.err().contains("Conflict. The container name \"/" + name + "\" is already in use by container \"" + id), taken.toString());

            ok("start", name);
            assertTrue(Files.isDirectory(roots.config().containerStateDir(id)), "started under the id create gave");
            assertEquals("one\ntwo\n", ok("logs", "--follow", name).out(), "logs -f follows until the container exits");
            assertEquals("exited 0", ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out().trim());
        } finally {
            docker("rm", "-f", name);
        }
        assertFalse(Files.exists(roots.config().containerStateDir(id)));
    }

    /**
     * As dockerd: a container created with --rm whose start fails (its host port taken by another
     * container since its create) is removed; one without --rm stays created, to be started later.
     */
    @Test
    void aFailedStartRemovesAnAutoRemoveContainerAndKeepsAnother() throws Exception {
        String goes = name("rmfail"), stays = name("keepfail"), holder = name("holder");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String publish = "127.0.0.1:" + port + ":80";
        String goesId = ok("create", "--rm", "--name", goes, "-p", publish, "busybox", "true").out().trim();
        String staysId = ok("create", "--name", stays, "-p", publish, "busybox", "true").out().trim();
        try {
            ok("run", "-d", "--name", holder, "-p", publish, "busybox", "sleep", "60");
            Result failed = docker("start", goes);
            assertEquals(1, failed.code(), failed.toString());
            assertTrue(failed.err().contains("host port " + port), failed.toString());
            assertEquals(1, docker("start", stays).code());
            assertEquals("", ok("ps", "-a", "--filter", "name=" + goes, "--format", "{{.ID}}").out().trim(), "--rm: removed");
            assertFalse(Files.exists(roots.config().containerStateDir(goesId)), "and its record with it");
            assertEquals("created", ok("inspect", "--format", "{{.State.Status}}", stays).out().trim(), "without --rm: still created");
            assertTrue(Files.isDirectory(roots.config().containerStateDir(staysId)));
        } finally {
            docker("rm", "-f", goes, stays, holder);
        }
    }

    @Test
    void killSendsTheSignalAndLabelAndLimitFiltersSelect() throws Exception {
        String name = name("kill"), other = name("other");
        ok("run", "-d", "--name", name, "--label", "tier=" + roots.tag(), "--network", "none", "busybox", "sleep", "60");
        try {
            ok("run", "-d", "--name", other, "--network", "none", "busybox", "true");
            assertEquals(name, ok("ps", "-a", "--filter", "label=tier=" + roots.tag(), "--format", "{{.Names}}").out().trim());
            assertEquals(1, ok("ps", "-n", "1", "--format", "{{.Names}}").out().lines().count(), "ps -n 1: the newest only");
            long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", name).out().trim());
            ok("kill", "--signal", "KILL", name);
            assertEquals("137", ok("wait", name).out().trim(), "SIGKILL: 128+9, as docker");
            assertFalse(Files.exists(Path.of("/proc/" + pid)), "the host's process is gone");
            Result again = docker("kill", name);
            assertEquals(1, again.code(), again.toString());
            assertTrue(again.err().contains("is not running"), again.toString());
        } finally {
            docker("rm", "-f", name, other);
        }
    }

    @Test
    void rmForceKillsARunningContainerAndPlainRmRefusesIt() throws Exception {
        String name = name("rmf");
        String id = ok("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "60").out().trim();
        long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", name).out().trim());
        Result refused = docker("rm", name);
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("You cannot remove a running container " + id), refused.toString());
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "a refused rm leaves the container running");
        ok("rm", "-f", name);
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "rm -f killed the container's process");
        assertFalse(Files.exists(roots.config().containerStateDir(id)));
    }

    @Test
    void aMissingImageAndAMissingContainerGiveDockersErrorsAndCodes() throws Exception {
        String image = "no-such-image-" + roots.tag();
        Result run = docker("run", "-d", "--name", name("noimg"), image, "true");
        assertEquals(125, run.code(), run.toString());
        assertTrue(run.err().contains("Unable to find image '" + image + ":latest' locally"), run.toString());
        assertTrue(run.err().contains("Error response from daemon: No such image: " + image + ":latest"), run.toString());
        assertEquals("", ok("ps", "-a", "--filter", "name=" + name("noimg"), "--format", "{{.ID}}").out().trim(), "nothing was created");

        String missing = "no-such-container-" + roots.tag();
        Result stop = docker("stop", missing);
        assertEquals(1, stop.code(), stop.toString());
        assertTrue(stop.err().contains("Error response from daemon: No such container: " + missing), stop.toString());
        Result rm = docker("rm", missing);
        assertEquals(1, rm.code(), rm.toString());
        assertTrue(rm.err().contains("No such container: " + missing), rm.toString());
    }

    @Test
    void imagesListsWhatTheEngineHas() throws Exception {
        ok("run", "-d", "--rm", "--network", "none", "busybox", "true"); // makes the built-in busybox if it is not there yet
        String images = ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").out();
        String inspected = ok("image", "inspect", "--format", "{{.Id}} {{.Os}}", "busybox").out().trim();
        assertTrue(inspected.startsWith("sha256:") && inspected.endsWith(" linux"), inspected);
        String shortId = inspected.substring(7, 19);
        assertTrue(images.contains("busybox:latest " + shortId), images);
        waitUntilNoContainers();
    }

    /** The --rm container above removes itself when its monitor sees it exit. */
    private static void waitUntilNoContainers() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (ok("ps", "-a", "--filter", "status=exited", "--format", "{{.ID}}").out().isBlank()) return;
            Thread.sleep(100);
        }
    }

    @Test
    void runInTheForegroundKeepsStdoutAndStderrApartAndExitsWithTheContainersCode() throws Exception {
        String name = name("fg");
        Result r = docker("run", "--name", name, "--network", "none", "busybox", "sh", "-c", "echo to-out; echo to-err >&2; exit 7");
        try {
            assertEquals(7, r.code(), r.toString());
            assertEquals("to-out\n", r.out());
            assertEquals("to-err\n", r.err());
            assertEquals("exited 7", ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out().trim());
            assertEquals("to-out\n", ok("logs", name).out(), "the log has the output as for a detached run");
        } finally {
            docker("rm", "-f", name);
        }
        String removed = name("fgrm");
        Result rm = docker("run", "--rm", "--name", removed, "--network", "none", "busybox", "sh", "-c", "cat; echo bye; exit 5");
        assertEquals(5, rm.code(), "--rm keeps the code for the client: " + rm);
        assertEquals("bye\n", rm.out(), "without -i the command's stdin is empty");
        assertEquals("", ok("ps", "-a", "--filter", "name=" + removed, "--format", "{{.ID}}").out().trim(), "--rm removed it");
    }

    @Test
    void runFlagsOfTheKernelAndNamesReachTheContainer() throws Exception {
        String name = name("flags");
        String hostShmmni = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/shmmni")).trim();
        Result r = docker("run", "--rm", "--name", name, "--network", "none", "--sysctl", "kernel.shmmni=1234",
                "--ulimit", "nofile=512:1024", "--add-host", "db.example:10.1.2.3", "--dns", "10.9.9.9", "--dns-search", "lab.example",
                "--group-add", "4321", "--shm-size", "32m", "--oom-score-adj", "250", "--stop-signal", "SIGUSR1", "--init",
                "busybox", "sh", "-c", "cat /proc/sys/kernel/shmmni; ulimit -n; grep db.example /etc/hosts; grep -E 'nameserver|search' /etc/resolv.conf;"
                        + " id -G; df -k /dev/shm | tail -1 | awk '{print $2}'; cat /proc/self/oom_score_adj");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals("1234", lines.get(0), "--sysctl in the container's ipc namespace: " + r.out());
        assertEquals("512", lines.get(1), "--ulimit's soft limit");
        assertEquals("10.1.2.3\tdb.example", lines.get(2), "--add-host");
        assertTrue(lines.contains("nameserver 10.9.9.9") && lines.contains("search lab.example"), "--dns, --dns-search: " + r.out());
        assertTrue(List.of(lines.get(lines.size() - 3).split(" ")).contains("4321"), "--group-add: " + r.out());
        assertEquals("32768", lines.get(lines.size() - 2), "--shm-size, in KiB");
        assertEquals("250", lines.get(lines.size() - 1), "--oom-score-adj");
        assertEquals(hostShmmni, java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/shmmni")).trim(), "the host's value is untouched");

        // the client checks the list itself; the engine refuses what only it can judge: net.* in the host's
        // namespace (the host's own value, so that nothing would change even if the refusal failed)
        String forward = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
        Result bad = docker("run", "--rm", "--network", "host", "--sysctl", "net.ipv4.ip_forward=" + forward, "busybox", "true");
        assertEquals(125, bad.code(), bad.toString());
        assertTrue(bad.err().contains("net.ipv4.ip_forward=" + forward) && bad.err().contains("network namespace"), bad.err());
    }

    @Test
    void runDashIPassesPipedStdinAndItsEndOfFile() throws Exception {
        // tr ends only at the end of its stdin: the client's half-close must reach it as end of file
        Result r = dockerWithInput("hello\nworld\n", "run", "-i", "--rm", "--network", "none", "busybox", "sh", "-c",
                "tr a-z A-Z; echo done; exit 3");
        assertEquals(3, r.code(), r.toString());
        assertEquals("HELLO\nWORLD\ndone\n", r.out());
    }

    @Test
    void runDashItGivesATerminalOfTheClientsSize() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "needs util-linux's script at " + script + " to give docker a terminal");
        // docker -it needs a terminal: script gives it one, 33x99; the client sends that size to
        // the resize endpoint, and what is typed (after the container is surely up) is the command's stdin.
        Result r = atATerminal("abc\r", 2500, "run", "-it", "--rm", "--network", "none", "busybox", "sh", "-c",
                "read x; echo got-$x; stty size; tty; exit 6");
        assertEquals(6, r.code(), r.toString());
        assertTrue(r.out().contains("got-abc"), r.toString());
        assertTrue(r.out().contains("33 99"), "the container's pty has the client's size: " + r);
        assertTrue(r.out().contains("/dev/pts/"), "a real pty inside: " + r);
    }

    @Test
    void attachFollowsARunningContainerAndStartDashAAttachesACreatedOne() throws Exception {
        String name = name("attach");
        ok("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c",
                "sleep 1; for i in 1 2 3; do echo tick$i; sleep 0.2; done; echo oops >&2; exit 4");
        try {
            Result r = docker("attach", name);
            assertEquals(4, r.code(), r.toString());
            assertEquals("tick1\ntick2\ntick3\n", r.out());
            assertEquals("oops\n", r.err());
        } finally {
            docker("rm", "-f", name);
        }
        String created = name("starta");
        ok("create", "--name", created, "--network", "none", "busybox", "sh", "-c", "echo started; exit 2");
        try {
            Result r = docker("start", "-a", created);
            assertEquals(2, r.code(), r.toString());
            assertEquals("started\n", r.out());
        } finally {
            docker("rm", "-f", created);
        }
    }

    @Test
    void restartAndStartOfAnExitedOneKeepTheFirstRunsFileUnderTheSameId() throws Exception {
        String name = name("restart");
        String id = ok("run", "-d", "--name", name, "-m", "48m", "busybox", "sh", "-c", "echo ran; echo x >> /keep; exec sleep 300").out().trim();
        try {
            String firstPid = ok("inspect", "-f", "{{.State.Pid}}", name).out().trim();
            assertEquals(name + "\n", ok("restart", "-t", "1", name).out());
            assertEquals("running " + id, ok("inspect", "-f", "{{.State.Status}} {{.Id}}", name).out().trim());
            String secondPid = ok("inspect", "-f", "{{.State.Pid}}", name).out().trim();
            assertNotEquals(firstPid, secondPid, "a new init");
            assertFalse(Files.exists(Path.of("/proc", firstPid)), "the first init is gone");
            assertEquals("x\nx\n", ok("exec", name, "cat", "/keep").out(), "the first run's file is there, and the command ran again");
            assertEquals(50331648L, memoryLimitOf(id), "the cgroup is made again with its limit");

            ok("stop", "-t", "1", name);
            assertEquals("exited", ok("inspect", "-f", "{{.State.Status}}", name).out().trim());
            assertEquals(name + "\n", ok("start", name).out());
            assertEquals("x\nx\nx\n", ok("exec", name, "cat", "/keep").out());
            assertEquals("x\nx\nx\n", Files.readString(upperDirOf(id).resolve("keep")), "seen from the host in its upper dir");
            assertEquals("ran\nran\nran\n", ok("logs", name).out(), "the log is appended to");
        } finally {
            docker("rm", "-f", name);
        }
        assertFalse(Files.exists(roots.config().containerStateDir(id)), "rm removed it");
        assertFalse(Files.exists(roots.config().containerDataDir(id)), "and its writable layer");

        String created = name("starta2");
        ok("create", "--name", created, "--network", "none", "busybox", "sh", "-c", "cat /keep 2>/dev/null; echo y >> /keep; exit 3");
        try {
            Result first = docker("start", "-a", created);
            assertEquals(3, first.code(), first.toString());
            assertEquals("", first.out());
            Result second = docker("start", "-a", created);
            assertEquals(3, second.code(), second.toString());
            assertEquals("y\n", second.out(), "an exited container starts again, attached, with what it wrote");
        } finally {
            docker("rm", "-f", created);
        }
    }

    private static Map<String, Object> recordOf(String id) throws IOException {
        return dev.hutch.json.JsonReader.of(dev.hutch.json.Json.parse(
                Files.readString(roots.config().containerStateDir(id).resolve("config.json")))).raw();
    }

    @SuppressWarnings("unchecked")
    private static Path upperDirOf(String id) throws IOException {
        return Path.of((String) ((Map<String, Object>) recordOf(id).get("rootfs")).get("upperDir"));
    }

    /** memory.max (v2) or memory.limit_in_bytes (v1) of the container's own cgroup, read on the host. */
    @SuppressWarnings("unchecked")
    private static long memoryLimitOf(String id) throws IOException {
        for (String p : (List<String>) recordOf(id).get("cgroupPaths")) {
            Path v2 = Path.of(p, "memory.max"), v1 = Path.of(p, "memory.limit_in_bytes");
            if (Files.exists(v2)) return Long.parseLong(Files.readString(v2).trim());
            if (p.contains("/memory/") && Files.exists(v1)) return Long.parseLong(Files.readString(v1).trim());
        }
        throw new AssertionError("no memory cgroup for " + id);
    }

    @Test
    void execRunsInTheContainersNamespacesWithItsCodeStdinAndATerminal() throws Exception {
        String name = name("exec");
        ok("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "60");
        try {
            long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", name).out().trim());
            Result r = docker("exec", name, "sh", "-c", "echo to-out; echo to-err >&2; exit 9");
            assertEquals(9, r.code(), "docker exec exits with the command's code: " + r);
            assertEquals("to-out\n", r.out());
            assertEquals("to-err\n", r.err());
            assertEquals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString(),
                    ok("exec", name, "readlink", "/proc/self/ns/pid").out().trim(), "the exec'd command is in the container's pid namespace");

            Result piped = dockerWithInput("abc\n", "exec", "-i", name, "sh", "-c", "tr a-z A-Z; exit 4");
            assertEquals(4, piped.code(), piped.toString());
            assertEquals("ABC\n", piped.out(), "stdin and its end of file reach the command");

            Result tty = atATerminal("\r", 1500, "exec", "-it", name, "sh", "-c", "read x; stty size; tty; exit 3");
            assertEquals(3, tty.code(), tty.toString());
            assertTrue(tty.out().contains("33 99"), "the exec's pty has the client's size: " + tty);
            assertTrue(tty.out().contains("/dev/pts/"), tty.toString());

            ok("exec", "-d", name, "sh", "-c", "sleep 0.2; echo detached > /tmp/marker");
            Path marker = Path.of("/proc/" + pid + "/root/tmp/marker");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals("detached\n", Files.readString(marker), "exec -d ran in the container's file system, seen from the host");

            Result missing = docker("exec", name, "no-such-command");
            assertEquals(127, missing.code(), missing.toString());
            ok("kill", name);
            Result stopped = docker("exec", name, "true");
            assertEquals(1, stopped.code(), stopped.toString());
            assertTrue(stopped.err().contains("is not running"), stopped.toString());
        } finally {
            docker("rm", "-f", name);
        }
    }

    @Test
    void publishedPortsAnswerOnLoopbackAndPortPsAndInspectShowThem() throws Exception {
        String name = name("ports"), page = "hello from " + name;
        Path www = Files.createDirectories(roots.dir().resolve("www-" + name));
        Files.writeString(www.resolve("index.html"), page);
        ok("run", "-d", "--name", name, "-p", "127.0.0.1::80", "-v", www + ":/www:ro", "busybox", "httpd", "-f", "-p", "80", "-h", "/www");
        try {
            String port = ok("port", name, "80/tcp").out().trim();
            assertTrue(port.matches("127\\.0\\.0\\.1:\\d+"), "docker port: " + port);
            int hostPort = Integer.parseInt(port.substring(port.indexOf(':') + 1));
            String status = firstLine(hostPort, "GET / HTTP/1.0\r\n\r\n");
            assertTrue(status.matches("HTTP/1\\.[01] 200 .*"), "httpd in the container answers on 127.0.0.1:" + hostPort + ": " + status);
            assertEquals(page, httpBody(hostPort));
            assertEquals("127.0.0.1:" + hostPort + "->80/tcp", ok("ps", "--filter", "name=" + name, "--format", "{{.Ports}}").out().trim());
            assertEquals("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]}",
                    ok("inspect", "--format", "{{json .HostConfig.PortBindings}}", name).out().trim());
        } finally {
            docker("rm", "-f", name);
        }

        String all = name("pub-all");
        ok("run", "-d", "--name", all, "-P", "--expose", "7070", "busybox", "sh", "-c", "echo hi-from-nc | nc -l -p 7070");
        try {
            String port = ok("port", all, "7070/tcp").out().lines().findFirst().orElse("").trim();
            assertTrue(port.matches("0\\.0\\.0\\.0:\\d+"), "-P publishes the exposed port on every address: " + port);
            assertEquals("hi-from-nc", firstLine(Integer.parseInt(port.substring(port.indexOf(':') + 1)), null));
        } finally {
            docker("rm", "-f", all);
        }
        Result bad = docker("run", "-d", "-p", "127.0.0.1:70000:80", "busybox", "true");
        assertEquals(125, bad.code(), bad.toString());
    }

    /** The first line a server at 127.0.0.1:port sends (after {@code request}, if any), retried while it does not listen yet. */
    static String firstLine(int port, String request) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                if (request != null) s.getOutputStream().write(request.getBytes());
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine();
                if (line != null) return line;
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100); // not listening yet
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port, last);
    }

    static String httpBody(int port) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
            String all = new String(s.getInputStream().readAllBytes());
            return all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void pauseFreezesTheCgroupTopListsItsProcessesAndStatsReadsItsCounters() throws Exception {
        String name = name("pause");
        ok("run", "-d", "--name", name, "--memory", "64m", "--network", "none", "busybox", "sleep", "60");
        try {
            long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", name).out().trim());
            long sleepPid = Long.parseLong(Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim());

            String top = ok("top", name).out();
            assertTrue(top.lines().findFirst().orElse("").matches("UID\\s+PID\\s+PPID.*CMD"), top);
            assertTrue(top.lines().anyMatch(l -> l.split("\\s+")[1].equals(Long.toString(sleepPid)) && l.endsWith("sleep 60")),
                    "top lists the host pid " + sleepPid + " of sleep: " + top);
            assertEquals(3, top.lines().count(), "init and sleep, nothing of the host: " + top);

            String stats = ok("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}}", name).out().trim();
            assertTrue(stats.startsWith(name + " ") && stats.contains(" / 64MiB "), stats);
            assertTrue(stats.endsWith(" " + Files.readAllLines(cgroupFile(pid, "cgroup.procs")).size()), "the pids the host counts: " + stats);

            ok("pause", name);
            assertTrue(frozen(pid), "the host's freezer says frozen");
            assertEquals("paused true", ok("inspect", "--format", "{{.State.Status}} {{.State.Paused}}", name).out().trim());
            assertTrue(ok("ps", "--filter", "name=" + name, "--format", "{{.Status}}").out().trim().endsWith("(Paused)"));
            Result again = docker("pause", name);
            assertEquals(1, again.code(), again.toString());
            assertTrue(again.err().contains("is already paused"), again.toString());
            ok("unpause", name);
            assertFalse(frozen(pid), "thawed");
            Result notPaused = docker("unpause", name);
            assertTrue(notPaused.code() == 1 && notPaused.err().contains("is not paused"), notPaused.toString());
        } finally {
            docker("rm", "-f", name);
        }
    }

    /** A file of the cgroup the host's /proc names for this pid: its v1 pids (or freezer) directory, or its v2 one. */
    static Path cgroupFile(long pid, String file) throws IOException {
        String controller = file.startsWith("freezer.") ? "freezer" : "pids";
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
        for (String line : lines) { // a v1 hierarchy with the controller first (a hybrid host also has a 0:: line)
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains(controller)) return Path.of("/sys/fs/cgroup/" + controller + f[2], file);
        }
        for (String line : lines) if (line.startsWith("0::")) return Path.of("/sys/fs/cgroup" + line.substring(3), file);
        throw new AssertionError("no cgroup for pid " + pid);
    }

    static boolean frozen(long pid) throws IOException {
        Path v1 = cgroupFile(pid, "freezer.state");
        if (v1.toString().startsWith("/sys/fs/cgroup/freezer/")) return Files.readString(v1).trim().equals("FROZEN");
        return Files.readString(cgroupFile(pid, "cgroup.freeze")).trim().equals("1");
    }

    @Test
    void aUserNetworkConnectsContainersByNameAndConnectDisconnectAndRmChangeTheHost() throws Exception {
        String net = name("net"), web = name("web"), other = name("other"), page = "on " + net;
        Path www = Files.createDirectories(roots.dir().resolve("www-" + net));
        Files.writeString(www.resolve("index.html"), page);
        String netId = ok("network", "create", net).out().trim();
        try {
            assertTrue(netId.matches("[0-9a-f]+"), netId);
            assertEquals(net + " bridge local", ok("network", "ls", "--filter", "name=" + net, "--format", "{{.Name}} {{.Driver}} {{.Scope}}").out().trim());
            String bridge = ok("network", "inspect", "--format", "{{index .Options \"com.docker.network.bridge.name\"}}", net).out().trim();
            String subnet = ok("network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", net).out().trim();
            assertTrue(bridge.startsWith("hutch") && subnet.matches("[0-9.]+/\\d+"), bridge + " " + subnet);

            ok("run", "-d", "--name", web, "--network", net, "--network-alias", "www", "-v", www + ":/www:ro", "busybox",
                    "httpd", "-f", "-p", "80", "-h", "/www");
            assertTrue(Files.isDirectory(Path.of("/sys/class/net", bridge)), "the network's bridge is on the host while a container uses it");
            Result byAlias = docker("run", "--rm", "--network", net, "busybox", "sh", "-c",
                    "for i in $(seq 50); do wget -q -O- http://www/ && exit 0; sleep 0.1; done; exit 1");
            assertEquals(0, byAlias.code(), byAlias.toString());
            assertEquals(page, byAlias.out(), "a member reaches another by its alias");
            String members = ok("network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", net).out().trim();
            assertTrue(members.startsWith(web + " ") && members.endsWith("/" + subnet.split("/")[1]), members);

            ok("run", "-d", "--name", other, "busybox", "sleep", "60"); // on the default bridge: hutch connects bridged containers
            long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", other).out().trim());
            int before = interfaces(pid);
            ok("network", "connect", net, other);
            assertEquals(before + 1, interfaces(pid), "connect added an interface in the container's namespace");
            String ip = ok("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", other).out().trim();
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/net/fib_trie")).contains(ip), "the namespace has " + ip);
            ok("network", "disconnect", net, other);
            assertEquals(before, interfaces(pid), "disconnect took it away");

            Result inUse = docker("network", "rm", net);
            assertEquals(1, inUse.code(), inUse.toString());
            assertTrue(inUse.err().contains("has active endpoints"), inUse.toString());
            ok("rm", "-f", web, other);
            ok("network", "rm", net);
            assertFalse(Files.exists(Path.of("/sys/class/net", bridge)), "rm took the bridge off the host");
            Result gone = docker("network", "inspect", net);
            assertEquals(1, gone.code(), gone.toString());
        } finally {
            docker("rm", "-f", web, other);
            docker("network", "rm", net);
        }
    }

    /**
     * docker network connect of a created container records the endpoint (alias, requested
     * address) and its start applies it: a second container on the network reaches it by the
     * alias; inspect shows the network before the start (no address yet) and after (the address
     * asked for). Disconnect of the stopped container removes the recorded endpoint; its next
     * start has no interface on that network. Errors as dockerd: an unknown network 404, an
     * endpoint already there 403.
     */
    @Test
    void connectAndDisconnectOfACreatedOrStoppedContainerTakeEffectAtItsStart() throws Exception {
        String net = name("cnet"), a = name("ca"), prober = name("cprobe");
        // a subnet of the test's own (by its tag): an automatic one may be another test's on this host at the same time
        String prefix = "10.230." + Integer.parseInt(roots.tag().substring(0, 2), 16), wanted = prefix + ".77";
        ok("network", "create", "--subnet", prefix + ".0/24", net);
        try {
            ok("create", "--name", a, "busybox", "nc", "-ll", "-p", "7000", "-e", "echo", "pong");
            ok("network", "connect", "--alias", "x", "--ip", wanted, net, a);
            assertEquals("[x] " + wanted + " ", ok("inspect", "--format", "{{with index .NetworkSettings.Networks \"" + net + "\"}}{{.Aliases}} "
                    + "{{.IPAMConfig.IPv4Address}} {{.IPAddress}}{{end}}", a).out().trim() + " ", "recorded, no address before the start");
            Result twice = docker("network", "connect", net, a);
            assertEquals(1, twice.code(), twice.toString());
            assertTrue(twice.err().contains("endpoint with name " + a + " already exists in network " + net), twice.toString());
            Result unknown = docker("network", "connect", "nonet-" + roots.tag(), a);
            assertEquals(1, unknown.code(), unknown.toString());
            assertTrue(unknown.err().contains("not found"), unknown.toString());

            ok("start", a);
            assertEquals(wanted, ok("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", a).out().trim(),
                    "the start applied the recorded address");
            long pid = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", a).out().trim());
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/net/fib_trie")).contains(wanted), "its namespace has " + wanted);
            Result byAlias = docker("run", "--rm", "--name", prober, "--network", net, "busybox", "sh", "-c",
                    "for i in $(seq 50); do echo | nc -w 2 x 7000 | grep pong && exit 0; sleep 0.1; done; exit 1");
            assertEquals(0, byAlias.code(), byAlias.toString());
            assertEquals("pong", byAlias.out().trim(), "a container on the network reaches it by the alias");

            ok("stop", "-t", "1", a);
            ok("network", "disconnect", net, a);
            assertEquals("", ok("inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{if eq $k \"" + net + "\"}}{{$k}}{{end}}{{end}}", a)
                    .out().trim(), "disconnect of the stopped container removed the endpoint");
            Result notThere = docker("network", "disconnect", net, a);
            assertEquals(1, notThere.code(), notThere.toString());
            ok("start", a);
            long pid2 = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", a).out().trim());
            assertFalse(Files.readString(Path.of("/proc/" + pid2 + "/net/fib_trie")).contains(wanted), "no interface on " + net + " after its start");
            assertEquals("", ok("network", "inspect", "--format", "{{range .Containers}}{{.Name}}{{end}}", net).out().trim());
        } finally {
            docker("rm", "-f", a, prober);
            docker("network", "rm", net);
        }
    }

    /**
     * Two clients start the same created container at the same moment: one gets 204, the other
     * dockerd's 304 (as for a container running already), never an engine error; one process runs.
     */
    @Test
    void twoStartsOfOneCreatedContainerAtOnceGive204And304() throws Exception {
        for (int round = 0; round < 3; round++) {
            String c = name("race" + round);
            ok("create", "--name", c, "--network", "none", "busybox", "sleep", "300");
            try (RawHttp one = new RawHttp(socket); RawHttp two = new RawHttp(socket)) {
                one.send("POST", "/v1.41/containers/" + c + "/start", null, new byte[0]);
                two.send("POST", "/v1.41/containers/" + c + "/start", null, new byte[0]);
                RawHttp.Answer first = one.read(), second = two.read();
                List<Integer> codes = new ArrayList<>(List.of(first.status(), second.status()));
                codes.sort(null);
                assertEquals(List.of(204, 304), codes, first + " " + second);
                assertEquals("true", ok("inspect", "--format", "{{.State.Running}}", c).out().trim());
            } finally {
                docker("rm", "-f", c);
            }
        }
    }

    static int interfaces(long pid) throws IOException {
        return (int) Files.readAllLines(Path.of("/proc/" + pid + "/net/dev")).stream().filter(l -> l.contains(":")).count();
    }

    @Test
    void aVolumeKeepsWhatAContainerWroteAndRmRemovesItsDirectory() throws Exception {
        String vol = name("vol"), user = name("voluser");
        ok("volume", "create", "--label", "tier=" + roots.tag(), vol);
        try {
            Path mountpoint = Path.of(ok("volume", "inspect", "--format", "{{.Mountpoint}}", vol).out().trim());
            assertEquals(vol + " local", ok("volume", "ls", "--filter", "name=" + vol, "--format", "{{.Name}} {{.Driver}}").out().trim());
            ok("run", "--name", user, "-v", vol + ":/data", "--network", "none", "busybox", "sh", "-c", "echo kept > /data/f");
            assertEquals("kept\n", Files.readString(mountpoint.resolve("f")), "the file is in the volume's directory on the host");
            Result inUse = docker("volume", "rm", vol);
            assertEquals(1, inUse.code(), inUse.toString());
            assertTrue(inUse.err().contains("volume is in use"), inUse.toString());
            ok("rm", user);
            ok("volume", "rm", vol);
            assertFalse(Files.exists(mountpoint), "volume rm removed " + mountpoint);
            Result gone = docker("volume", "inspect", vol);
            assertEquals(1, gone.code(), gone.toString());
            assertTrue(gone.err().contains("No such volume: " + vol), gone.toString()); // the CLI's words for the 404
        } finally {
            docker("rm", "-f", user);
            docker("volume", "rm", "-f", vol);
        }
    }

    @Test
    void attachedRunsAndExecsLeaveNoDescriptorInTheService() throws Exception {
        String name = name("fds");
        ok("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "60");
        try {
            ok("exec", name, "true"); // the first of each kind loads what it needs once
            docker("run", "--rm", "--network", "none", "busybox", "true");
            long before = settledDescriptors(cli.servicePid());
            for (int i = 0; i < 3; i++) {
                assertEquals(0, dockerWithInput("x\n", "exec", "-i", name, "cat").code());
                assertEquals(2, docker("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo; exit 2").code());
            }
            assertEquals(0, atATerminal("", 0, "exec", "-it", name, "true").code());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long after = openDescriptors(cli.servicePid());
            while (after > before && System.nanoTime() < deadline) { // connections the client closed last are closed a moment later
                Thread.sleep(100);
                after = openDescriptors(cli.servicePid());
            }
            // at most as many: a connection still closing when "before" was counted may be gone by now
            assertTrue(after <= before, "the service's open descriptors, counted in /proc, after attached runs and execs: "
                    + after + ", before them " + before);
        } finally {
            docker("rm", "-f", name);
        }
    }

    /** The count once two readings 200 ms apart agree (the last client's connection closes a moment after it ends), at most 5 s. */
    static long settledDescriptors(long pid) throws IOException, InterruptedException {
        long last = openDescriptors(pid);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline; ) {
            Thread.sleep(200);
            long now = openDescriptors(pid);
            if (now == last) return now;
            last = now;
        }
        return last;
    }

    static long openDescriptors(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /** docker inside util-linux's script (a terminal of 33x99), typing {@code keys} after {@code delayMs}. */
    static Result atATerminal(String keys, long delayMs, String... args) throws Exception {
        ProcessBuilder pb = cli.command(args); // its environment, with script as the program run
        String line = "stty rows 33 cols 99; exec " + String.join(" ", pb.command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Process p = pb.command("/usr/bin/script", "-qefc", line, "/dev/null").redirectErrorStream(true).start();
        Thread typist = new Thread(() -> {
            try {
                Thread.sleep(delayMs);
                p.getOutputStream().write(keys.getBytes());
                p.getOutputStream().flush();
            } catch (Exception ignored) {
                // it ended first
            }
        });
        typist.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("docker " + String.join(" ", args) + " at a terminal did not end");
        }
        typist.join();
        return new Result(p.exitValue(), new String(out), "");
    }

    static List<String> childrenCommandLines(long pid) throws IOException {
        List<String> out = new ArrayList<>();
        for (String child : Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim().split("\\s+"))
            if (!child.isEmpty()) out.add(Files.readString(Path.of("/proc/" + child + "/cmdline")));
        return out;
    }

    /** The memory limit of the cgroup the host's /proc names for this pid (v1 memory controller or v2). */
    static long memoryLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains("memory"))
                return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory" + f[2], "memory.limit_in_bytes")).trim());
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            if (line.startsWith("0::")) return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup" + line.substring(3), "memory.max")).trim());
        }
        throw new AssertionError("no memory cgroup for pid " + pid);
    }
}
