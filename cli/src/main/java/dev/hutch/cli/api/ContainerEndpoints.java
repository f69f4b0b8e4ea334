package dev.hutch.cli.api;

import dev.hutch.cli.commands.ContainerSize;
import dev.hutch.cli.filter.BadFilterException;
import dev.hutch.cli.filter.ContainerFilter;
import dev.hutch.cli.filter.FilterArgs;
import dev.hutch.NotFoundException;
import dev.hutch.engine.Engine;
import dev.hutch.image.Image;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.SpecValidator;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.state.StateStore;
import dev.hutch.util.HostInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The container verbs of the Engine API, each as dockerd answers it, over the same {@link Engine}
 * verbs the CLI calls. Every container is the engine's record on disk from its create on (as
 * {@code hutch create} makes it): {@code hutch ps -a} lists it, docker cp reaches its files before
 * its start, and it outlives the service.
 */
final class ContainerEndpoints {
    private static final Pattern VALID_NAME = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private ContainerEndpoints() {}

    static void register(ApiRouter router) {
        router.add("GET", "/containers/json", ContainerEndpoints::list)
                .add("POST", "/containers/create", ContainerEndpoints::create)
                .add("GET", "/containers/([^/]+)/json", ContainerEndpoints::inspect)
                .add("POST", "/containers/([^/]+)/start", ContainerEndpoints::start)
                .add("POST", "/containers/([^/]+)/stop", ContainerEndpoints::stop)
                .add("POST", "/containers/([^/]+)/restart", ContainerEndpoints::restart)
                .add("POST", "/containers/([^/]+)/kill", ContainerEndpoints::kill)
                .add("POST", "/containers/([^/]+)/wait", ContainerEndpoints::await)
                .add("DELETE", "/containers/([^/]+)", ContainerEndpoints::remove)
                .add("GET", "/containers/([^/]+)/logs", LogEndpoint::logs)
                .add("POST", "/containers/([^/]+)/attach", AttachEndpoint::attach)
                .add("POST", "/containers/([^/]+)/resize", AttachEndpoint::resize);
    }

    /** A container by id, id prefix or name: the engine's record (and its health check's). */
    record Found(ContainerState state, dev.hutch.state.HealthRecord health) {
        ContainerShapes.View view() { return ContainerShapes.View.of(state, health); }

        String id() { return state.id(); }

        boolean running() { return state.isRunning(); }

        /** Created and never started (docker's "created"): no process, no output, nothing to wait for yet. */
        boolean created() { return state.status() == ContainerStatus.CREATED && state.started() == null; }
    }

    static Found find(ApiCall call, String ref) {
        try {
            ContainerState s = call.engine().inspect(ref);
            return new Found(s, call.engine().states().health(s));
        } catch (NotFoundException e) {
            throw ApiError.noSuchContainer(ref);
        }
    }

    static void list(ApiCall call) throws IOException {
        Integer limit = call.intQuery("limit");
        List<ContainerState> selected;
        try {
            selected = new ContainerFilter(FilterArgs.fromJson(call.query("filters")))
                    .select(call.engine(), call.flag("all", false), limit == null ? -1 : limit);
        } catch (BadFilterException e) {
            throw ApiError.badParameter(e.getMessage());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, String> networkIds = networkIds(call);
        boolean size = call.flag("size", false);
        for (ContainerState s : selected) {
            Map<String, Object> summary = ContainerShapes.summary(ContainerShapes.View.of(s, call.engine().states().health(s)), networkIds);
            if (size) { // docker ps -s: the writable layer, and the root filesystem with the image
                ContainerSize sizes = ContainerSize.of(call.engine(), s);
                summary.put("SizeRw", sizes.writable());
                summary.put("SizeRootFs", sizes.virtual());
            }
            out.add(summary);
        }
        call.response().json(200, out);
    }

    static void inspect(ApiCall call) throws IOException {
        call.response().json(200, ContainerShapes.inspect(find(call, call.param(0)).view(), networkIds(call)));
    }

    /** Each network's id by its name (the engine's records name the network; docker's answers carry its id too). */
    static Map<String, String> networkIds(ApiCall call) {
        Map<String, String> ids = new java.util.HashMap<>();
        for (var n : new dev.hutch.net.Networks(call.engine().networking()).list()) ids.put(n.name(), n.id());
        return ids;
    }

    static void create(ApiCall call) throws IOException {
        String name = call.query("name");
        if (name != null && !name.isEmpty() && !VALID_NAME.matcher(name).matches())
            throw ApiError.badParameter("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        var networks = new dev.hutch.net.Networks(call.engine().networking());
        // an unknown user network: docker's 404 before anything is made
        ContainerSpec spec = CreateRequest.toSpec(name, call.request().bodyText(), ref -> NetworkEndpoints.find(networks, ref).name());
        SpecValidator.validate(spec, HostInfo.cpus()); // a bad value: 400 before anything is made
        Image image;
        try {
            image = call.engine().image(spec.image());
        } catch (NotFoundException e) {
            throw ApiError.noSuchImage(withDefaultTag(spec.image()));
        }
        spec = CreateRequest.publishAll(spec, call.request().bodyText(), image.config().exposedPorts());
        ContainerState created;
        try {
            created = call.engine().create(spec); // its record, name and data dir, and its create event
        } catch (StateStore.NameInUse e) {
            throw nameInUse(e.name(), e.holder());
        }
        call.response().json(201, Map.of("Id", created.id(), "Warnings", List.of()));
    }

    static ApiError nameInUse(String name, String id) {
        return ApiError.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \"" + id
                + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    static String withDefaultTag(String ref) {
        int slash = ref.lastIndexOf('/');
        return ref.contains("@") || ref.indexOf(':', slash + 1) >= 0 ? ref : ref + ":latest";
    }

    static void start(ApiCall call) throws IOException {
        Found f = find(call, call.param(0));
        if (f.running()) {
            call.response().empty(304);
            return;
        }
        // 304 also for the loser of two starts at once: the engine waited for the winner's start
        call.response().empty(startAgain(call, f.state()) ? 204 : 304);
    }

    /**
     * A created or stopped container run by the engine's start (same id, writable layer and log),
     * for the clients attached meanwhile (docker start -a attaches first) or detached.
     */
    private static boolean startAgain(ApiCall call, ContainerState s) {
        List<StreamHub.Session> attached = call.attachments().takeWaiting(s.id());
        // before the record leaves "created": a wait that then looks finds the code to wait for
        if (!attached.isEmpty()) call.attachments().expectExit(s.id());
        try {
            if (attached.isEmpty()) return call.engine().start(s.id(), true) != null; // null: running already
            AttachEndpoint.startAgain(call, s, attached);
            return true;
        } catch (RuntimeException e) {
            for (StreamHub.Session session : attached) call.attachments().awaitStart(s.id(), session);
            // as dockerd: a container that was to go when done (--rm) goes when its start fails too
            if (s.spec().autoRemove()) removeAfterFailedStart(call.engine(), s.id());
            throw e;
        }
    }

    private static void removeAfterFailedStart(Engine engine, String id) {
        try {
            engine.remove(id, true, true);
        } catch (RuntimeException e) {
            DockerApiServer.log("after the failed start of " + id + ": " + e.getMessage());
        }
    }

    /** docker restart: stop (SIGTERM, SIGKILL after t seconds) if it runs, then start it again. */
    static void restart(ApiCall call) throws IOException {
        Found f = find(call, call.param(0));
        if (f.created()) {
            start(call); // a created one just starts
            return;
        }
        Integer t = call.intQuery("t");
        call.engine().stop(f.id(), Duration.ofSeconds(t == null || t < 0 ? 10 : t));
        startAgain(call, call.engine().inspect(f.id()));
        call.response().empty(204);
    }

    static void stop(ApiCall call) throws IOException {
        Found f = find(call, call.param(0));
        if (!f.running()) {
            call.response().empty(304);
            return;
        }
        Integer t = call.intQuery("t");
        call.engine().stop(f.id(), Duration.ofSeconds(t == null || t < 0 ? 10 : t));
        call.response().empty(204);
    }

    static void kill(ApiCall call) throws IOException {
        Found f = find(call, call.param(0));
        if (!f.running()) throw ApiError.conflict("Container " + f.id() + " is not running");
        String signal = call.query("signal");
        call.engine().kill(f.id(), signal == null || signal.isEmpty() ? "KILL" : signal);
        call.response().empty(204);
    }

    /** The status line goes out at once (the client knows the wait began), the exit code when it comes. */
    static void await(ApiCall call) throws IOException {
        String condition = call.query("condition");
        if (condition == null || condition.isEmpty()) condition = "not-running";
        if (!List.of("not-running", "next-exit", "removed").contains(condition))
            throw ApiError.badParameter("invalid condition: \"" + condition + "\" (use not-running, next-exit or removed)");
        Found f = find(call, call.param(0));
        String id = f.id();
        if (f.created() && condition.equals("not-running")) {
            call.response().json(200, Map.of("StatusCode", 0));
            return;
        }
        try (OutputStream out = call.response().stream(200, "application/json")) {
            out.flush();
            int code = 0;
            try {
                while (new Found(call.engine().inspect(id), null).created()) Thread.sleep(100); // created: wait for its start (or removal)
                var attachedExit = call.attachments().exit(id);
                code = attachedExit != null ? attachedExit.join() : call.engine().waitFor(id);
                if (condition.equals("removed")) {
                    while (exists(call.engine(), id)) Thread.sleep(100);
                }
            } catch (NotFoundException e) {
                var attachedExit = call.attachments().exit(id);
                if (attachedExit != null) code = attachedExit.join();
                // else removed meanwhile: its code is gone with it, as dockerd answers for an auto-removed one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.write(("{\"StatusCode\":" + code + ",\"Error\":null}\n").getBytes());
        }
    }

    static boolean exists(Engine engine, String id) {
        try {
            engine.resolve(id);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static void remove(ApiCall call) throws IOException {
        Found f = find(call, call.param(0));
        call.attachments().forget(f.id()); // clients attached to a created or stopped one, waiting for a start that will not come
        boolean force = call.flag("force", false);
        if (f.running() && !force)
            throw ApiError.conflict("You cannot remove a running container " + f.id()
                    + ". Stop the container before attempting removal or force remove");
        call.engine().remove(f.id(), force, call.flag("v", false));
        call.response().empty(204);
    }
}
