package dev.hutch.cli.service;

import dev.hutch.HutchException;
import dev.hutch.cli.Invocation;
import dev.hutch.cli.Main;
import dev.hutch.cli.api.DockerApiServer;
import dev.hutch.runtime.ChildStdio;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm engine: one JVM that runs many calls of the CLI at once, each on its own thread with
 * its caller's fds, env and cwd (docs/engine-service.md). It holds no state of its own: the
 * containers' state is on disk and their monitors own it, so killing the service at any moment
 * loses nothing but the calls in flight.
 */
public final class EngineService {
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static volatile EngineService current;

    private final ServicePaths paths;
    private final Duration idle;
    private final BuildStamp build = BuildStamp.ofThisJvm();
    private final CheckoutCheck checkout = CheckoutCheck.ofThisService();
    private final PidFile self = PidFile.ofThisProcess();
    private final Instant started = Instant.now();
    private final AtomicLong served = new AtomicLong();
    private final Object lock = new Object();
    private int inFlight;
    private long lastActivityNanos = System.nanoTime();
    private volatile boolean stopping, stale;
    private AFUNIXServerSocket server;
    private final Map<String, String> env;
    private volatile DockerApiServer dockerApi;

    private EngineService(ServicePaths paths, Duration idle, Map<String, String> env) {
        this.paths = paths;
        this.idle = idle;
        this.env = Map.copyOf(env);
    }

    /** The service this JVM runs, or null in-process: `engine status` inside the service reports it live. */
    public static EngineService current() { return current; }

    /** Reads the service's own settings (HUTCH_ENGINE_SOCKET, HUTCH_ENGINE_IDLE ...) from its env at start. */
    public static EngineService fromEnvironment(Map<String, String> env) {
        return new EngineService(ServicePaths.fromEnvironment(env), idleTimeout(env.get("HUTCH_ENGINE_IDLE")), env);
    }

    static Duration idleTimeout(String text) {
        if (text == null || text.isBlank()) return Duration.ofSeconds(900);
        try {
            long s = Long.parseLong(text.trim());
            if (s > 0) return Duration.ofSeconds(s);
        } catch (NumberFormatException ignored) {
            // the error below
        }
        throw new HutchException("HUTCH_ENGINE_IDLE: \"" + text + "\" is not a number of seconds (try 900)");
    }

    public ServicePaths paths() { return paths; }

    /** Binds the socket, records the pid, then serves until stopped, idle or stale; returns the exit code. */
    public int serve() throws IOException {
        bind();
        current = this;
        log("serving on " + paths.socket() + " (pid " + self.pid() + ", idle timeout " + idle.toSeconds() + " s)");
        installStopSignals();
        startDockerApi();
        startDaemon("hutch-engine-idle", this::watchIdle);
        startDaemon("hutch-engine-warm", EngineService::warmScriptRunner);
        long n = 0;
        while (!stopping) {
            AFUNIXSocket client;
            try {
                client = server.accept();
            } catch (SocketException e) {
                if (stopping) break;
                throw e;
            }
            synchronized (lock) {
                inFlight++; // counted from accept, so the idle timer never ends a call being read
            }
            Thread t = new Thread(() -> handle(client), "hutch-request-" + (++n));
            t.start();
        }
        return awaitInFlight();
    }

    /**
     * The Docker Engine API on its own socket (docs/docker-api.md). Its classes load here, never
     * on the CLI's run path. A socket another live service serves is left to it.
     */
    private void startDockerApi() {
        Path socket = DockerApiServer.socketPath(env);
        if (socket == null) return;
        try {
            dockerApi = DockerApiServer.start(socket, env, new DockerApiServer.Activity() {
                @Override
                public void begin() {
                    synchronized (lock) {
                        inFlight++;
                    }
                }

                @Override
                public void end() {
                    served.incrementAndGet();
                    synchronized (lock) {
                        inFlight--;
                        lastActivityNanos = System.nanoTime();
                        lock.notifyAll();
                    }
                }
            });
            log(dockerApi == null ? "another service answers on " + socket + "; this one serves no Docker API"
                    : "Docker Engine API on " + socket);
        } catch (IOException | RuntimeException e) {
            log("cannot serve the Docker API on " + socket + ": " + e.getMessage());
        }
    }

    private void bind() throws IOException {
        Path dir = paths.socket().getParent();
        if (!Files.isDirectory(dir))
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (Files.exists(paths.socket())) {
            if (answers(paths.socket())) {
                PidFile other = PidFile.read(paths.pidFile());
                throw new HutchException("an engine service already listens on " + paths.socket()
                        + (other == null ? "" : " (pid " + other.pid() + ")") + "; stop it first with: hutch engine stop");
            }
            Files.delete(paths.socket()); // left by a killed service
        }
        // The pid file first: whoever reaches the socket finds who serves it.
        self.writeTo(paths.pidFile());
        try {
            server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(paths.socket().toFile()));
        } catch (IOException e) {
            self.removeIfOurs(paths.pidFile());
            throw e;
        }
        // Root only: connecting needs write permission on the socket (and SO_PEERCRED checks again).
        Files.setPosixFilePermissions(paths.socket(), PosixFilePermissions.fromString("rw-------"));
    }

    static boolean answers(Path socket) {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops accepting: unlinks the socket and pid file first, so the next client starts a new service. */
    public void stop(String why) {
        synchronized (lock) {
            if (stopping) return;
            stopping = true;
            lock.notifyAll();
        }
        log("stopping: " + why);
        try {
            Files.deleteIfExists(paths.socket());
        } catch (IOException e) {
            log("cannot remove " + paths.socket() + ": " + e.getMessage());
        }
        self.removeIfOurs(paths.pidFile());
        DockerApiServer api = dockerApi;
        if (api != null) api.close();
        try {
            server.close();
        } catch (IOException ignored) {
            // accept() ends either way
        }
    }

    /** After a stop: wait for the calls in flight (up to 10 s; a stale service waits for all). */
    private int awaitInFlight() {
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = stale ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    log("exiting with " + inFlight + " call(s) still running");
                    break;
                }
                try {
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log("stopped after serving " + served.get() + " request(s)");
        return 0;
    }

    private void handle(AFUNIXSocket socket) {
        FileDescriptor[] fds = null;
        try (socket) {
            socket.setAncillaryReceiveBufferSize(1024);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            Frame hello = Frame.read(in);
            if (hello == null) return; // a probe (is anybody listening?) that sent nothing
            if (hello.type() != 'H') throw new IOException("expected frame 'H', got '" + hello.type() + "'");
            fds = socket.getReceivedFileDescriptors();
            Request request = Request.readAfterHello(in);
            String refusal = !Request.PROTOCOL.equals(hello.text())
                    ? "hutch: the engine service speaks protocol " + Request.PROTOCOL + ", the client " + hello.text() + "; rebuild hutch"
                    : PeerCheck.refusal(socket.getPeerCredentials().getUid());
            if (refusal != null) {
                log("refused a request: " + refusal);
                if (fds != null && fds.length == 3) printTo(fds[2], refusal);
                Frame.write(out, 'X', "125");
                return;
            }
            if (stopping || build.changed()) {
                if (!stopping) {
                    stale = true;
                    stop("the classpath changed (a rebuilt hutch); the next call starts a new service");
                }
                Frame.write(out, 'R', "");
                return;
            }
            switch (checkout.check(request.env())) {
                case REBUILD -> { // the client rebuilds, then calls again (a new service: the jars changed)
                    Frame.write(out, 'B', "");
                    return;
                }
                case OTHER_BUILD -> { // another checkout's launcher: its own code must run, in-process
                    Frame.write(out, 'N', "");
                    return;
                }
                case SERVE -> { }
            }
            RequestStdio stdio;
            try {
                stdio = new RequestStdio(fds);
            } catch (IOException e) {
                log("refused a request: " + e.getMessage()); // no stderr of the caller to say it on
                Frame.write(out, 'X', "125");
                return;
            }
            fds = null; // stdio owns them now
            int rc = run(request, stdio, in);
            served.incrementAndGet();
            Frame.write(out, 'X', Integer.toString(rc));
        } catch (IOException e) {
            log("request: " + e.getMessage()); // a client gone mid-request: nothing to answer
        } finally {
            RequestStdio.closeAll(fds);
            synchronized (lock) {
                inFlight--;
                lastActivityNanos = System.nanoTime();
                lock.notifyAll();
            }
        }
    }

    /** Runs the CLI on the request's fds; its 'S' frames and its disconnect are read meanwhile. */
    private int run(Request request, RequestStdio stdio, InputStream in) {
        ForwardedSignals signals = new ForwardedSignals(Thread.currentThread(), stdio::mute);
        Thread requestThread = Thread.currentThread();
        boolean[] done = {false};
        startDaemon("hutch-request-signals", () -> {
            try {
                for (Frame f; (f = Frame.read(in)) != null; ) {
                    if (f.type() == 'S') signals.deliver(Integer.parseInt(f.text().trim()));
                }
            } catch (IOException | RuntimeException e) {
                // the socket closed: either we answered, or the client is gone
            }
            synchronized (done) {
                if (!done[0]) { // the client disconnected before 'X': end its call
                    stdio.mute();
                    requestThread.interrupt();
                }
            }
        });
        int rc;
        try {
            ChildStdio children = ChildStdio.of(stdio.inFd, stdio.outFd, stdio.errFd, request.env());
            Invocation inv = new Invocation(request.env(), request.cwd(), stdio.in, stdio.out, stdio.err,
                    request.tty()[0], request.tty()[1], request.tty()[2], children, signals, request.umaskBits(),
                    request.tty()[0] ? stdio.terminalDevice() : null);
            rc = Main.run(request.args(), inv);
        } finally {
            synchronized (done) {
                done[0] = true;
            }
            stdio.close();
        }
        if (signals.endedBy() != 0) rc = 128 + signals.endedBy();
        return rc;
    }

    private static void printTo(FileDescriptor fd, String line) {
        PrintStream p = new PrintStream(new FileOutputStream(fd), true);
        p.println(line);
        p.close();
    }

    private void watchIdle() {
        while (!stopping) {
            synchronized (lock) {
                if (inFlight == 0 && System.nanoTime() - lastActivityNanos >= idle.toNanos()) break;
                try {
                    lock.wait(Math.min(1000, Math.max(10, idle.toMillis() / 4)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        stop("idle for " + idle.toSeconds() + " s");
    }

    private void installStopSignals() {
        for (String sig : new String[] {"TERM", "INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stop("SIG" + sig));
            } catch (IllegalArgumentException ignored) {
                // the JVM keeps it
            }
        }
    }

    /** Loads Groovy off any request thread, once, so the first `hutch script` is warm too. */
    private static void warmScriptRunner() {
        try {
            Thread.sleep(2000);
            Class.forName("groovy.lang.GroovyShell");
        } catch (ReflectiveOperationException | InterruptedException | LinkageError ignored) {
            // only a warm-up
        }
    }

    private static Thread startDaemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** For `hutch engine status` run through the service. */
    public String status() {
        int flying;
        synchronized (lock) {
            flying = inFlight;
        }
        return "hutch engine service: running\n"
                + "pid:          " + self.pid() + "\n"
                + "uptime:       " + Duration.between(started, Instant.now()).toSeconds() + " s\n"
                + "socket:       " + paths.socket() + "\n"
                + "docker api:   " + (dockerApi == null ? "not served" : dockerApi.socket().toString()) + "\n"
                + "log:          " + paths.log() + "\n"
                + "requests:     " + served.get() + " served, " + flying + " in flight\n"
                + "idle timeout: " + idle.toSeconds() + " s\n"
                + "build:        " + build.describe() + (build.changed() ? " (changed: this service retires at its next call)" : "") + "\n";
    }

    static void log(String message) {
        System.err.println(Instant.now() + " hutch engine[" + ProcessHandle.current().pid() + "]: " + message);
    }
}
