package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cli.Engines;
import dev.hutch.cli.Main;
import dev.hutch.cli.Version;
import dev.hutch.config.EngineConfig;
import dev.hutch.engine.Engine;
import dev.hutch.runtime.ChildStdio;
import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.util.Map;

/**
 * The Docker Engine API (docs/docker-api.md): version constants, the routes, and one request
 * answered with the same engine verbs the CLI uses. Errors become docker's answers:
 * {@link ApiError} as it says, the engine's not-found 404, a refused spec 400, a name taken 409,
 * anything else 500 with its message.
 */
public final class DockerApi {
    static final int API_MINOR = 41;
    static final String API_VERSION = "1." + API_MINOR, MIN_API_VERSION = "1.12";

    private final ApiRouter router = new ApiRouter();
    private final Attachments attachments = new Attachments();
    private final ExecInstances execs = new ExecInstances();
    private final Map<String, String> env;

    /** @param env the service's environment: the engine's roots and settings (HUTCH_RUN_ROOT ...) */
    public DockerApi(Map<String, String> env) {
        this.env = Map.copyOf(env);
        SystemEndpoints.register(router);
        DiskUsageEndpoint.register(router);
        PruneEndpoints.register(router);
        ContainerUpdate.register(router);
        ContainerEndpoints.register(router);
        ArchiveEndpoint.register(router);
        ExecEndpoints.register(router);
        ContainerProcesses.register(router);
        ContainerNames.register(router);
        StatsEndpoint.register(router);
        NetworkEndpoints.register(router);
        VolumeEndpoints.register(router);
        ImageEndpoints.register(router);
        ImageVerbEndpoints.register(router);
        ImageTransferEndpoints.register(router);
        EventsEndpoint.register(router);
    }

    static String hutchVersion() { return Version.get(); }

    /** Docker's GOARCH names, as /version reports them. */
    static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    /** uname -m, as /info reports it. */
    static String machine() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }

    /** A new engine per request, as a CLI call gets one: it holds no state across calls. */
    private Engine engine() { return engine(ChildStdio.inherited()); }

    Engine engine(ChildStdio stdio) {
        EngineConfig config = EngineConfig.fromEnvironment(env);
        return Engines.forHost(config, stdio).exitCommand(() -> Main.selfCommand(config));
    }

    Map<String, String> env() { return env; }


    Attachments attachments() { return attachments; }

    ExecInstances execs() { return execs; }

    /** Whether the request's body goes to its handler as it arrives (image load and import), not read whole. */
    boolean streamsBody(String method, String path) { return router.streamsBody(method, path); }

    /** Answers one request; returns false when the connection must close (a body half-written). */
    boolean answer(HttpRequest request, HttpResponse response) throws IOException {
        try {
            ApiRouter.Match match = router.route(request.method(), request.path());
            match.handler().handle(new ApiCall(request, match.params(), response, engine(), this));
            return true;
        } catch (ApiError e) {
            return fail(response, e);
        } catch (InvalidSpecException e) {
            return fail(response, ApiError.badParameter(e.getMessage()));
        } catch (NotFoundException e) {
            return fail(response, new ApiError(404, e.getMessage()));
        } catch (HutchException e) {
            int status = e.getMessage() != null && e.getMessage().contains("already in use") ? 409 : 500;
            return fail(response, new ApiError(status, e.getMessage()));
        } catch (RuntimeException e) {
            DockerApiServer.log("internal error on " + request.method() + " " + request.path() + ": " + e);
            return fail(response, new ApiError(500, "hutch internal error: " + e));
        }
    }

    private static boolean fail(HttpResponse response, ApiError e) throws IOException {
        if (response.started()) return false; // a stream already under way: all we can do is end it
        response.error(e);
        return true;
    }
}
