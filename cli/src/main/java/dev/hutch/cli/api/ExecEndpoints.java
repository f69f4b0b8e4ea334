package dev.hutch.cli.api;

import dev.hutch.engine.Engine;
import dev.hutch.json.Json;
import dev.hutch.runtime.ChildStdio;
import dev.hutch.spec.ExecSpec;
import dev.hutch.sys.Fds;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker exec over the API: {@code POST /containers/{id}/exec} makes an instance,
 * {@code POST /exec/{id}/start} runs it with {@code Engine.exec} (the same helper {@code hutch
 * exec} starts), attached through a hijacked connection as {@link AttachEndpoint} relays a
 * container, or detached; {@code GET /exec/{id}/json} tells whether it runs and its exit code,
 * which the docker CLI reads once the stream ended, so the stream ends only after the code is known.
 */
final class ExecEndpoints {
    private ExecEndpoints() {}

    static void register(ApiRouter router) {
        router.add("POST", "/containers/([^/]+)/exec", ExecEndpoints::create)
                .add("POST", "/exec/([^/]+)/start", ExecEndpoints::start)
                .add("GET", "/exec/([^/]+)/json", ExecEndpoints::inspect)
                .add("POST", "/exec/([^/]+)/resize", ExecEndpoints::resize);
    }

    static void create(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        Map<String, Object> body = body(call);
        List<String> cmd = CreateRequest.strings(body, "Cmd");
        if (cmd == null || cmd.isEmpty()) throw ApiError.badParameter("No exec command specified");
        if (Boolean.TRUE.equals(body.get("Privileged")))
            throw ApiError.badParameter("Privileged exec is not supported by hutch's Docker API: the command gets the container's own confinement");
        if (!f.running()) throw ApiError.conflict("Container " + f.id() + " is not running");
        List<String> env = CreateRequest.strings(body, "Env");
        ExecSpec spec = new ExecSpec(cmd, env, text(body, "WorkingDir"), text(body, "User"), Boolean.TRUE.equals(body.get("Tty")),
                Boolean.TRUE.equals(body.get("AttachStdin")));
        ExecInstances.Instance i = call.execs().create(f.id(), spec, !Boolean.FALSE.equals(body.get("AttachStdout")),
                !Boolean.FALSE.equals(body.get("AttachStderr")));
        call.response().json(201, Map.of("Id", i.id));
    }

    static void start(ApiCall call) throws IOException {
        ExecInstances.Instance i = call.execs().get(call.param(0));
        Map<String, Object> body = body(call);
        if (!ContainerEndpoints.exists(call.engine(), i.containerId) || !call.engine().isRunning(i.containerId))
            throw ApiError.conflict("Container " + i.containerId + " is not running");
        if (!i.markStarted()) throw ApiError.conflict("Exec " + i.id + " has already been started");
        if (Boolean.TRUE.equals(body.get("Detach"))) {
            int devNull = Fds.devNull();
            Engine engine = call.engine(ChildStdio.of(devNull, devNull, devNull, call.env()));
            StreamHub.daemon("hutch-api-exec-" + i.id.substring(0, 12), () -> {
                int code = -1;
                try {
                    code = engine.exec(i.containerId, i.spec, p -> i.helper = p);
                } catch (RuntimeException e) {
                    DockerApiServer.log("exec " + i.id + ": " + e.getMessage());
                } finally {
                    Fds.close(devNull);
                    i.ended(code);
                }
            });
            call.response().empty(200);
            return;
        }
        boolean tty = i.spec.tty();
        Hijack conn = call.response().hijack(call.request(), tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream");
        StreamHub.Session session = new StreamHub.Session(conn, i.spec.interactive(), i.attachStdout, i.attachStderr);
        ChildIo io = ChildIo.open(tty, i.spec.interactive());
        int code = 125;
        try {
            code = call.engine(io.stdio(call.env())).exec(i.containerId, i.spec, p -> {
                io.closeChildEnds();
                i.helper = p;
                StreamHub hub = new StreamHub(io, p);
                hub.join(session);
                hub.start();
                i.hub = hub;
                int[] early = i.requestedSize;
                if (early != null) AttachEndpoint.resize(hub, early); // the client's first resize came before the helper
            });
            if (i.hub != null) i.hub.awaitOutputEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the engine refused (the container stopped meanwhile...): the client reads it, and the code
            byte[] m = ("hutch: " + e.getMessage() + "\n").getBytes();
            conn.write(tty ? Hijack.RAW : Hijack.STDERR, m, m.length);
        } finally {
            i.ended(code); // before the stream ends: the client asks for the code right after
            if (i.hub != null) i.hub.finish();
            else io.close();
            session.finish();
        }
    }

    static void inspect(ApiCall call) throws IOException {
        ExecInstances.Instance i = call.execs().get(call.param(0));
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("tty", i.spec.tty());
        process.put("entrypoint", i.spec.command().get(0));
        process.put("arguments", i.spec.command().subList(1, i.spec.command().size()));
        process.put("privileged", false);
        process.put("user", i.spec.user() == null ? "" : i.spec.user());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", i.id);
        m.put("Running", i.running);
        m.put("ExitCode", i.exitCode);
        m.put("ProcessConfig", process);
        m.put("OpenStdin", i.spec.interactive());
        m.put("OpenStderr", i.attachStderr);
        m.put("OpenStdout", i.attachStdout);
        m.put("CanRemove", false);
        m.put("ContainerID", i.containerId);
        m.put("DetachKeys", "");
        m.put("Pid", i.pid());
        call.response().json(200, m);
    }

    static void resize(ApiCall call) throws IOException {
        ExecInstances.Instance i = call.execs().get(call.param(0));
        int[] size = AttachEndpoint.size(call);
        if (i.exitCode != null) throw ApiError.conflict("Exec " + i.id + " is not running");
        i.requestedSize = size;
        StreamHub hub = i.hub;
        if (hub != null) AttachEndpoint.resize(hub, size);
        call.response().empty(201);
    }

    private static Map<String, Object> body(ApiCall call) {
        String text = call.request().bodyText();
        if (text.isBlank()) return Map.of();
        try {
            return Json.parseObject(text);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("the request body is not a JSON object: " + e.getMessage());
        }
    }

    private static String text(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s && !s.isEmpty() ? s : null;
    }
}
