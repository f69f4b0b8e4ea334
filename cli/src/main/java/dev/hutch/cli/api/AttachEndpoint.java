package dev.hutch.cli.api;

import dev.hutch.cli.commands.DetachKeys;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.logs.LogEntry;
import dev.hutch.logs.LogReader;
import dev.hutch.runtime.Signals;
import dev.hutch.spec.ContainerSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /containers/{id}/attach} and {@code /resize}, and the start of a container that has
 * attached sessions. docker run (without -d) creates, attaches, then starts: the attach hijacks
 * the connection and waits; the start then runs the container in the foreground, as
 * {@code hutch run} does for a person at a terminal, with the API's pipes (or pty) as the
 * terminal ({@link ChildIo}), and relays them to the sessions ({@link StreamHub}). A container
 * started detached is joined through its monitor's attach socket ({@link MonitorAttach}), as
 * {@code hutch attach} joins it; one in some hutch's foreground is followed in its log.
 */
final class AttachEndpoint {
    private static final int SIGWINCH = 28;

    private AttachEndpoint() {}

    static void attach(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        ContainerSpec spec = f.view().spec();
        boolean tty = spec.process().tty();
        boolean stdout = call.flag("stdout", false), stderr = call.flag("stderr", false);
        boolean stdin = call.flag("stdin", false) && spec.process().interactive();
        DetachKeys keys = detachKeys(call); // a bad sequence: 400 before the connection is taken
        Hijack conn = call.response().hijack(call.request(), tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream");
        StreamHub.Session session = new StreamHub.Session(conn, stdin, stdout, stderr);
        if (tty) session.detachKeys = keys; // dockerd reads them only with a tty
        // docker's attach event, once the client holds the stream
        call.engine().containerEvent("attach", f.state(), Map.of());
        try {
            if (call.flag("logs", false) && !f.created()) pastLogs(call, f.id(), session, tty);
            if (!call.flag("stream", false)) return;
            if (!f.running()) {
                // created, or stopped: docker start -a attaches first, then starts (again)
                call.attachments().awaitStart(f.id(), session);
                boolean startedMeanwhile = !ContainerEndpoints.exists(call.engine(), f.id()) || call.engine().isRunning(f.id());
                if (startedMeanwhile && call.attachments().takeWaiting(f.id()).contains(session))
                    joinOrFollow(call, f.id(), session, tty, keys); // started (or removed) between the look and the wait
                session.awaitDone();
                return;
            }
            joinOrFollow(call, f.id(), session, tty, keys);
            session.awaitDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.finish();
        }
    }

    /** docker's {@code detachKeys} query (default ctrl-p,ctrl-q); a bad one is dockerd's 400. */
    private static DetachKeys detachKeys(ApiCall call) {
        String text = call.query("detachKeys");
        try {
            return DetachKeys.parse(text == null || text.isEmpty() ? DetachKeys.DEFAULT : text);
        } catch (dev.hutch.spec.InvalidSpecException e) {
            throw ApiError.badParameter("Invalid detach keys (" + text + ") provided");
        }
    }

    private static void joinOrFollow(ApiCall call, String id, StreamHub.Session session, boolean tty, DetachKeys keys) throws InterruptedException {
        StreamHub hub = call.attachments().hub(id);
        if (hub != null) {
            hub.join(session);
            return;
        }
        if (ContainerEndpoints.exists(call.engine(), id) && call.engine().isRunning(id)) {
            // started detached: its monitor's attach socket gives the output and takes the stdin
            if (MonitorAttach.relay(call.engine().states().dir(id), session, tty, keys)) {
                session.finish();
                return;
            }
            // in some hutch's foreground (hutch run without -d): its log, from now on
            LogReader reader = call.engine().logs(id);
            try {
                reader.follow(0, LogReader.Window.ALL, e -> send(session, e, tty), () -> call.engine().isRunning(id), () -> { });
            } catch (UncheckedIOException e) {
                // the client went away
            }
        }
        session.finish();
    }

    private static void pastLogs(ApiCall call, String id, StreamHub.Session session, boolean tty) {
        try {
            call.engine().logs(id).emit(-1, LogReader.Window.ALL, e -> send(session, e, tty));
        } catch (UncheckedIOException e) {
            // the client went away
        }
    }

    private static void send(StreamHub.Session session, LogEntry e, boolean tty) {
        boolean err = e.isStderr() || e.isHutch();
        if (err ? !session.stderr : !session.stdout) return;
        byte[] b = e.text().getBytes(StandardCharsets.UTF_8);
        try {
            session.conn.write(tty ? Hijack.RAW : err ? Hijack.STDERR : Hijack.STDOUT, b, b.length);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * Starts a created or stopped container in the foreground for the sessions that attached to
     * it (its id, writable layer and log kept). The container is an ordinary hutch container on
     * disk; only its stdio is the API's, so it runs on if every client goes away, and its log has
     * all of its output as always.
     */
    static void startAgain(ApiCall call, dev.hutch.state.ContainerState s, List<StreamHub.Session> sessions) {
        start(call, s.id(), s.spec(), sessions, engine -> {
            Started again = engine.start(s.id(), false);
            if (again == null) throw ApiError.conflict("container " + s.id() + " was started meanwhile by another client");
            return again;
        });
    }

    private static void start(ApiCall call, String id, ContainerSpec spec, List<StreamHub.Session> sessions,
                              java.util.function.Function<Engine, Started> launch) {
        boolean wantsStdin = spec.process().interactive() && sessions.stream().anyMatch(s -> s.stdin);
        ChildIo io = ChildIo.open(spec.process().tty(), wantsStdin);
        CompletableFuture<Integer> exit = call.attachments().expectExit(id);
        Engine engine = call.engine(io.stdio(call.env()));
        Started started;
        try {
            started = launch.apply(engine);
        } catch (RuntimeException e) {
            io.close();
            throw e;
        } finally {
            io.closeChildEnds();
        }
        StreamHub hub = new StreamHub(io, started.monitor());
        call.attachments().started(id, hub);
        for (StreamHub.Session s : sessions) hub.join(s);
        hub.start();
        StreamHub.daemon("hutch-api-run-" + id.substring(0, 12), () -> {
            int code = -1;
            try {
                started.monitor().waitFor();
                hub.awaitOutputEnd();
                hub.finish();
                code = engine.waitForExit(started); // the final state, and --rm
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                DockerApiServer.log("after container " + id + ": " + e.getMessage());
            } finally {
                hub.finish();
                call.attachments().ended(id, hub);
                exit.complete(code);
            }
        });
    }

    /** {@code POST /containers/{id}/resize?h=&w=}: the pty the API relays, then SIGWINCH to its helper. */
    static void resize(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        int[] size = size(call);
        if (!f.running()) throw ApiError.conflict("Container " + f.id() + " is not running");
        StreamHub hub = call.attachments().hub(f.id());
        boolean relayed = hub != null && hub.io().tty;
        if (hub != null) resize(hub, size);
        // A -t container nobody here relays (started detached, or by hutch run -dt): its own pty,
        // sized from outside. A container without a tty has nothing to size; docker answers 200 too.
        if (!relayed && f.state().spec().process().tty()) call.engine().resizeTerminal(f.id(), size[0], size[1]);
        // docker's resize event, its attributes the size asked for: written by the container's monitor
        // as it gives the container's pty the size of ours (monitor.c), else here
        if (!relayed)
            call.engine().containerEvent("resize", f.state(), Map.of("height", Integer.toString(size[0]), "width", Integer.toString(size[1])));
        call.response().empty(200);
    }

    static int[] size(ApiCall call) {
        Integer h = call.intQuery("h"), w = call.intQuery("w");
        if (h == null || w == null || h < 0 || w < 0 || h > 0xffff || w > 0xffff)
            throw ApiError.badParameter("resize needs h and w, the height and width in characters (0-65535)");
        return new int[] {h, w};
    }

    static void resize(StreamHub hub, int[] size) {
        if (!hub.io().tty) return;
        hub.io().resize(size[0], size[1]);
        Signals.send(hub.helper(), SIGWINCH); // the helper copies the size to the container's own pty
    }
}
