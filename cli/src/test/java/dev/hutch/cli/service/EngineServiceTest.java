package dev.hutch.cli.service;

import dev.hutch.cli.HutchProcess;
import dev.hutch.cli.service.ServiceClient.Reply;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine service as the client uses it: a real `hutch engine serve` process on a socket in
 * the test's directory, requests in the wire format with the caller's fds passed by SCM_RIGHTS.
 * What a command prints is read from the files given as its fds 1 and 2; containers and state are
 * the test's own (TestRoots), and every service started here is stopped by its recorded pid.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EngineServiceTest {
    static TestRoots roots;
    static ServiceProcess service;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        env = new HashMap<>(roots.environment());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        service = ServiceProcess.start(env, roots.dir().resolve("engine"), "600", null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (service != null) service.close();
        } finally {
            roots.close();
        }
    }

    static Reply hutch(String... args) throws IOException { return at(service, roots.dir(), env, args); }

    static Reply at(ServiceProcess s, Path cwd, Map<String, String> env, String... args) throws IOException {
        return ServiceClient.call(s.socket, cwd, env, roots.dir(), args);
    }

    static Map<String, String> withEngine(ServiceProcess s) {
        Map<String, String> e = new HashMap<>(env);
        e.put("HUTCH_ENGINE_SOCKET", s.socket.toString());
        return e;
    }

    @Test
    void outputGoesToThePassedFdsAndTheExitCodeAndErrorLineAreTheInProcessOnes() throws Exception {
        Reply version = hutch("--version");
        assertEquals('X', version.type(), version.toString());
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("hutch version "), version.out());

        String missing = "no-such-" + roots.tag();
        Reply served = hutch("inspect", missing);
        HutchProcess.Result cold = HutchProcess.run(env, List.of(), "inspect", missing);
        assertNotEquals(0, cold.code());
        assertEquals(cold.code(), served.code(), served.toString());
        assertEquals(cold.err(), served.err());
        assertEquals(cold.out(), served.out());

        Reply unknown = hutch("frobnicate");
        assertEquals(125, unknown.code());
        assertEquals("hutch: 'frobnicate' is not a hutch command.\nSee 'hutch --help'.\n", unknown.err());
        assertFalse(service.logText().contains("frobnicate"), "nothing of a request goes to the service's own output");
    }

    @Test
    void twoCallsAtOnceEachSeeTheirOwnEnvironmentAndWorkingDirectory() throws Exception {
        List<ServiceClient> calls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String who : List.of("a", "b")) {
            Path cwd = Files.createDirectories(roots.dir().resolve("caller-" + who));
            Files.writeString(cwd.resolve("vars.env"), "BAR=bar-" + who + "\n");
            Files.createDirectories(cwd.resolve("data"));
            Files.writeString(cwd.resolve("data/file"), "file-" + who);
            Map<String, String> callerEnv = new HashMap<>(env);
            callerEnv.put("FOO", "foo-" + who);
            String name = "caller-" + who + "-" + roots.tag();
            names.add(name);
            calls.add(ServiceClient.send(service.socket, cwd, callerEnv, roots.dir(), List.of("run", "-d", "--network", "none",
                    "--name", name, "-e", "FOO", "--env-file", "vars.env", "-v", "./data:/data",
                    "busybox", "sh", "-c", "echo $FOO $BAR $(cat /data/file)")));
        }
        try {
            for (ServiceClient c : calls) {
                try (c) {
                    Reply r = c.reply();
                    assertEquals(0, r.code(), r.toString());
                    assertTrue(r.out().trim().matches("[0-9a-f]{64}"), "run -d prints the id: " + r.out());
                }
            }
            for (int i = 0; i < 2; i++) {
                String who = i == 0 ? "a" : "b";
                Reply waited = hutch("wait", names.get(i));
                assertEquals("0", waited.out().trim(), waited.toString());
                Reply logs = hutch("logs", names.get(i));
                assertEquals("foo-" + who + " bar-" + who + " file-" + who + "\n", logs.out(), logs.toString());
            }
        } finally {
            for (String n : names) hutch("rm", "-f", n);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aRelativeOutputFileIsTheCallersAndStdinIsThePassedFd() throws Exception {
        Path cwd = Files.createDirectories(roots.dir().resolve("archives"));
        Reply save;
        try (ServiceClient c = ServiceClient.send(service.socket, cwd, env, roots.dir(), Path.of("/dev/null"), "077",
                List.of("save", "-o", "busybox.tar", "busybox"))) {
            save = c.reply();
        }
        assertEquals(0, save.code(), save.toString());
        assertTrue(Files.size(cwd.resolve("busybox.tar")) > 100_000, "save -o wrote the caller's ./busybox.tar");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cwd.resolve("busybox.tar"))),
                "the caller's umask 077, not the service's");

        Reply rmi = hutch("rmi", "busybox");
        assertEquals(0, rmi.code(), rmi.toString());
        try (ServiceClient load = ServiceClient.send(service.socket, roots.dir(), env, roots.dir(), cwd.resolve("busybox.tar"), "022", List.of("load"))) {
            Reply loaded = load.reply();
            assertEquals(0, loaded.code(), loaded.toString());
            assertTrue(loaded.out().contains("busybox"), loaded.out());
        }
        Reply images = hutch("images", "--format", "{{.Repository}}");
        assertTrue(images.out().lines().anyMatch("busybox"::equals), images.out());
    }

    static Reply hutch(Path cwd, String... args) throws IOException { return at(service, cwd, env, args); }

    @Test
    void twentyCallsInParallelAllAnswer() throws Exception {
        String keep = "keep-" + roots.tag();
        Reply started = hutch("run", "-d", "--network", "none", "--name", keep, "busybox", "sleep", "300");
        assertEquals(0, started.code(), started.toString());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String[] args = switch (i % 3) {
                    case 0 -> new String[] {"run", "--rm", "--network", "none", "busybox", "true"};
                    case 1 -> new String[] {"ps", "--format", "{{.Names}}"};
                    default -> new String[] {"inspect", "--format", "{{.Name}}", keep};
                };
                replies.add(pool.submit(() -> hutch(args)));
            }
            for (int i = 0; i < 20; i++) {
                Reply r = replies.get(i).get(120, TimeUnit.SECONDS);
                assertEquals('X', r.type(), r.toString());
                assertEquals(0, r.code(), "call " + i + ": " + r);
                if (i % 3 != 0) assertTrue(r.out().contains(keep), "call " + i + ": " + r);
            }
        } finally {
            pool.shutdownNow();
            hutch("rm", "-f", keep);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aForwardedSignalReachesTheForegroundContainerOrEndsTheCall() throws Exception {
        String name = "signalled-" + roots.tag();
        try (ServiceClient run = ServiceClient.send(service.socket, roots.dir(), env, roots.dir(),
                List.of("run", "--network", "none", "--name", name, "busybox", "sleep", "300"))) {
            awaitRunning(name);
            ServiceClient.Reply waiting;
            try (ServiceClient wait = ServiceClient.send(service.socket, roots.dir(), env, roots.dir(), List.of("wait", name))) {
                Thread.sleep(300); // let wait start watching
                wait.signal(2); // Ctrl-C of a call with no foreground child: it ends as hutch would have, 128+2
                waiting = wait.reply();
            }
            assertEquals(130, waiting.code(), waiting.toString());
            assertEquals("", waiting.err(), "a cancelled call ends quietly");

            // exec without -t: Ctrl-C goes to the exec helper, which passes it to the command
            try (ServiceClient exec = ServiceClient.send(service.socket, roots.dir(), env, roots.dir(), List.of("exec", name,
                    "sh", "-c", "trap 'echo GOT-INT; exit 7' INT; echo READY; while true; do sleep 0.1; done"))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!exec.outSoFar().contains("READY")) {
                    assertTrue(System.nanoTime() < deadline, "the exec'd command never started: " + exec.outSoFar());
                    Thread.sleep(50);
                }
                exec.signal(2);
                Reply execd = exec.replyWithin(30);
                assertEquals(7, execd.code(), execd.toString());
                assertTrue(execd.out().contains("GOT-INT"), execd.toString());
            }

            run.signal(15); // to the monitor, which passes SIGTERM to the container
            Reply ran = run.reply();
            assertEquals(143, ran.code(), ran.toString());
        } finally {
            hutch("rm", "-f", name);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    static void awaitRunning(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!HutchProcess.run(env, List.of(), "ps", "--format", "{{.Names}}").out().contains(name)) {
            assertTrue(System.nanoTime() < deadline, "the container never ran");
            Thread.sleep(50);
        }
    }

    @Test
    void aServiceKilledMidRunLeavesTheContainerRecordedAndRmFRemovesIt() throws Exception {
        String name = "killed-" + roots.tag();
        try (ServiceProcess killed = ServiceProcess.start(env, roots.dir().resolve("killed"), "600", null);
             ServiceClient run = ServiceClient.send(killed.socket, roots.dir(), env, roots.dir(),
                     List.of("run", "--network", "none", "--name", name, "busybox", "sleep", "300"))) {
            awaitRunning(name);
            killed.process.destroyForcibly(); // SIGKILL to the pid this test started
            assertTrue(killed.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals('E', run.reply().type(), "the client sees the connection end without an exit code");

            HutchProcess.Result ps = HutchProcess.run(env, List.of(), "ps", "-a", "--format", "{{.Names}}|{{.State}}");
            assertTrue(ps.out().lines().anyMatch(l -> l.startsWith(name + "|")), "still recorded: " + ps.out());
            HutchProcess.Result rm = HutchProcess.run(env, List.of(), "rm", "-f", name);
            assertEquals(0, rm.code(), rm.err());
        } finally {
            HutchProcess.run(env, List.of(), "rm", "-f", name);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aRebuiltClasspathAnswersRetryAndTheServiceRetires() throws Exception {
        Path dir = Files.createDirectories(roots.dir().resolve("stale"));
        Path jar = dir.resolve("extra.jar");
        writeJar(jar, 1);
        try (ServiceProcess stale = ServiceProcess.start(env, dir, "600", jar.toString())) {
            assertEquals(0, at(stale, roots.dir(), env, "--version").code());
            writeJar(jar, 2); // "rebuilt": another size
            Reply retry = at(stale, roots.dir(), env, "--version");
            assertEquals('R', retry.type(), retry.toString());
            assertEquals("", retry.out(), "a retried request did not run");
            assertTrue(stale.process.waitFor(20, TimeUnit.SECONDS), "a stale service exits");
            assertEquals(0, stale.process.exitValue());
            assertFalse(Files.exists(stale.socket), "its socket is gone, so the next client starts a new service");
            assertFalse(Files.exists(stale.pidFile()));
        }
    }

    @Test
    void anIdleServiceExitsAndRemovesItsSocketAndPidFile() throws Exception {
        try (ServiceProcess idle = ServiceProcess.start(env, roots.dir().resolve("idle"), "1", null)) {
            assertTrue(idle.process.waitFor(30, TimeUnit.SECONDS), "idle for 1 s: it exits");
            assertEquals(0, idle.process.exitValue());
            assertFalse(Files.exists(idle.socket));
            assertFalse(Files.exists(idle.pidFile()));
            assertTrue(idle.logText().contains("stopping: idle for 1 s"), idle.logText());
        }
    }

    @Test
    void engineStatusAndStopWorkThroughTheServiceAndInProcess() throws Exception {
        try (ServiceProcess s = ServiceProcess.start(env, roots.dir().resolve("control"), "600", null)) {
            Map<String, String> e = withEngine(s);
            long pid = s.process.pid();
            assertEquals(pid + " " + dev.hutch.util.ProcStat.read(Path.of("/proc"), pid).startTime() + "\n", Files.readString(s.pidFile()));

            Reply live = at(s, roots.dir(), e, "engine", "status");
            assertEquals(0, live.code(), live.toString());
            assertTrue(live.out().contains("pid:          " + pid + "\n"), live.out());
            assertTrue(live.out().contains("requests:     0 served, 1 in flight"), live.out());

            HutchProcess.Result cold = HutchProcess.run(e, List.of(), "engine", "status");
            assertEquals(0, cold.code(), cold.err());
            assertTrue(cold.out().contains("pid:          " + pid + "\n"), cold.out());

            HutchProcess.Result stop = HutchProcess.run(e, List.of(), "engine", "stop");
            assertEquals(0, stop.code(), stop.err());
            assertEquals("hutch engine service: stopped (pid " + pid + ")\n", stop.out());
            // stop returns when the service has exited (a zombie until this test, its parent, reaps it)
            dev.hutch.util.ProcStat afterStop = dev.hutch.util.ProcStat.read(Path.of("/proc"), pid);
            assertTrue(afterStop == null || afterStop.state() == 'Z', "still running after stop: " + afterStop);
            assertTrue(s.process.waitFor(5, TimeUnit.SECONDS));
            assertFalse(Files.exists(s.socket));

            HutchProcess.Result after = HutchProcess.run(e, List.of(), "engine", "status");
            assertEquals(1, after.code());
            assertTrue(after.out().startsWith("hutch engine service: not running"), after.out());

            // in-process start: a service in its own session, found again through its pid file
            Map<String, String> startEnv = new HashMap<>(e);
            startEnv.put("HUTCH_ENGINE_LOG", s.log.toString());
            HutchProcess.Result start = HutchProcess.run(startEnv, List.of(), "engine", "start");
            PidFile started = PidFile.read(s.pidFile());
            try {
                assertEquals(0, start.code(), start.err());
                assertNotNull(started, "the started service recorded itself");
                assertTrue(started.isAlive());
                assertTrue(start.out().contains("pid:          " + started.pid() + "\n"), start.out());
                assertTrue(EngineService.answers(s.socket));
                assertEquals(0, HutchProcess.run(startEnv, List.of(), "engine", "stop").code());
                assertFalse(started.isAlive());
            } finally {
                if (started != null && started.isAlive()) // only the pid it recorded, with its start time checked
                    dev.hutch.runtime.Signals.send(Path.of("/proc"), started.pid(), started.startTime(), dev.hutch.runtime.Signals.SIGKILL);
            }
        }
    }

    @Test
    void engineStopThroughTheServiceEndsIt() throws Exception {
        try (ServiceProcess s = ServiceProcess.start(env, roots.dir().resolve("stop"), "600", null)) {
            Reply stop = at(s, roots.dir(), withEngine(s), "engine", "stop");
            assertEquals(0, stop.code(), stop.toString());
            assertTrue(s.process.waitFor(20, TimeUnit.SECONDS));
            assertFalse(Files.exists(s.socket));
            assertFalse(Files.exists(s.pidFile()));
        }
    }

    /** A client in the wire format, for a peer of another uid: python's socket.send_fds passes its fds 0, 1, 2. */
    private static final String PYTHON_CLIENT = String.join("\n",
            "import socket, struct, sys",
            "def fr(t, p=b''): return t.encode() + struct.pack('>I', len(p)) + p",
            "s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])",
            "socket.send_fds(s, [fr('H', b'1')], [0, 1, 2])",
            "s.sendall(fr('T', b'000') + fr('A', b'ps') + fr('C', b'/') + fr('U', b'022') + fr('G'))",
            "d = b''",
            "while True:",
            "    c = s.recv(4096)",
            "    if not c: break",
            "    d += c",
            "print(d[:1].decode(), d[5:].decode())");

    @Test
    void aPeerThatIsNotRootIsRefusedWithOneLineAnd125() throws Exception {
        Path python = Path.of("/usr/bin/python3"), setpriv = Path.of("/usr/bin/setpriv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python) && Files.isExecutable(setpriv),
                "needs /usr/bin/python3 and /usr/bin/setpriv to connect as uid 65534");
        try (ServiceProcess s = ServiceProcess.start(env, roots.dir().resolve("peer"), "600", null)) {
            // Only for this test: let another uid reach the socket, so the SO_PEERCRED check behind
            // the 0600 mode is what refuses it.
            Files.setPosixFilePermissions(s.socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            // The client connects by a path relative to its cwd, the socket's directory: so no
            // directory above it (the test's own, /tmp, a CI checkout's) needs to let uid 65534 search.
            // (ServiceProcess.start returned after the service's own chmod to 0600, so ours stands.)
            Files.setPosixFilePermissions(s.socket.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            Process p = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                    python.toString(), "-c", PYTHON_CLIENT, s.socket.getFileName().toString())
                    .directory(s.socket.getParent().toFile()).redirectInput(new java.io.File("/dev/null")).start();
            byte[] err = p.getErrorStream().readAllBytes();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("hutch: the engine service accepts only root (uid 65534); run hutch as root\n", new String(err));
            assertEquals("X 125\n", new String(out));
            assertTrue(s.logText().contains("refused a request"), s.logText());
        }
    }

    /**
     * The launcher's "is the build stale?" through the real client: the service answers it from
     * its watch of the checkout's sources ('B': the client runs the rebuild command), and a
     * service of another checkout's build is not used ('N': the client runs the command cold).
     */
    @Test
    void theClientRebuildsWhenASourceChangedAndRunsColdBesideAnotherCheckoutsService() throws Exception {
        Path checkout = Files.createDirectories(roots.dir().resolve("checkout"));
        Path src = Files.createDirectories(checkout.resolve("src"));
        Path source = Files.writeString(src.resolve("A.java"), "class A {}");
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(0));
        Path stamp = Files.writeString(checkout.resolve(".hutch-built"), "client-checks-staleness\n");
        Path rebuild = Files.writeString(checkout.resolve("rebuild"), "#!/bin/sh\necho \"rebuilt, then: $*\"\n");
        Files.setPosixFilePermissions(rebuild, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.put(CheckoutCheck.STAMP, stamp.toString()); // as the client that starts a service passes it
        try (ServiceProcess own = ServiceProcess.start(serviceEnv, roots.dir().resolve("own"), "600", null)) {
            HutchProcess.Result fresh = viaClient(own, stamp, src, rebuild, "--version");
            assertEquals(0, fresh.code(), fresh.toString());
            assertTrue(fresh.out().startsWith("hutch version"), fresh.toString());
            assertEquals("", fresh.err(), "served, not run in-process: " + fresh);

            Files.writeString(source, "class A { int edited; }");
            HutchProcess.Result stale = viaClient(own, stamp, src, rebuild, "ps", "-a");
            assertEquals("rebuilt, then: ps -a\n", stale.out(), stale.toString());
            // right after the launcher built (--sources 0): the stamp only names the build
            HutchProcess.Result justBuilt = viaClient(own, stamp, null, rebuild, "--version");
            assertTrue(justBuilt.out().startsWith("hutch version") && justBuilt.err().isEmpty(), justBuilt.toString());

            Path otherStamp = Files.writeString(roots.dir().resolve("other-built"), "client-checks-staleness\n");
            HutchProcess.Result other = viaClient(own, otherStamp, Files.createDirectories(roots.dir().resolve("other-src")),
                    rebuild, "--version");
            assertEquals(0, other.code(), other.toString());
            assertTrue(other.out().startsWith("hutch version"), other.toString());
            assertTrue(other.err().contains("running in-process: the engine service runs another checkout's build"),
                    other.toString());
            HutchProcess.Result otherJustBuilt = viaClient(own, otherStamp, null, rebuild, "--version");
            assertTrue(otherJustBuilt.err().contains("running in-process: the engine service runs another checkout's build"),
                    otherJustBuilt.toString());
        }
    }

    /** The native client as ./hutch runs it, with the launcher's build arguments (null sources: none to check), traced. */
    private static HutchProcess.Result viaClient(ServiceProcess s, Path stamp, Path sources, Path rebuild, String... args)
            throws Exception {
        List<String> cold = HutchProcess.coldCommand(List.of());
        List<String> service = List.of(HutchProcess.java(), "-cp", System.getProperty("java.class.path"),
                dev.hutch.cli.Main.class.getName(), "engine", "serve");
        List<String> cmd = new ArrayList<>(List.of(dev.hutch.cli.EngineServiceUnderTest.CLIENT.toString(),
                "--stamp", stamp.toString()));
        if (sources == null) cmd.addAll(List.of("--sources", "0")); // as ./hutch right after a build
        else cmd.addAll(List.of("--sources", "1", sources.toString()));
        cmd.addAll(List.of("--rebuild", "1", rebuild.toString(), "--socket", s.socket.toString(), "--log", s.socket.resolveSibling("engine.log").toString(),
                "--cold", String.valueOf(cold.size())));
        cmd.addAll(cold);
        cmd.add("--service");
        cmd.add(String.valueOf(service.size()));
        cmd.addAll(service);
        cmd.add("--");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new java.io.File("/dev/null"));
        pb.environment().putAll(env);
        pb.environment().put("HUTCH_TRACE", "1"); // the client says why it ran a command in-process
        Path out = Files.createTempFile(roots.dir(), "out", ".txt"), err = Files.createTempFile(roots.dir(), "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client did not finish: " + cmd);
        return new HutchProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void writeJar(Path jar, int entries) throws IOException {
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f)) {
            for (int i = 0; i < entries; i++) {
                j.putNextEntry(new JarEntry("hutch-test/entry" + i + ".txt"));
                j.write(("entry " + i).getBytes());
                j.closeEntry();
            }
        }
    }
}
