package dev.hutch.cli.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Method + path to handler. Paths may carry an API version prefix ({@code /v1.41/containers/json})
 * or none, as dockerd accepts both; a version above ours is refused as dockerd refuses it.
 */
final class ApiRouter {
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v(\\d+)\\.(\\d+)(/.*)$");

    interface Handler {
        void handle(ApiCall call) throws IOException;
    }

    private record Route(String method, Pattern path, Handler handler, boolean streamsBody) {}

    /** The path matched: its handler and the captured parameters. */
    record Match(Handler handler, List<String> params) {}

    private final List<Route> routes = new ArrayList<>();

    ApiRouter add(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile("^" + pathRegex + "$"), handler, false));
        return this;
    }

    /** A route whose handler reads its body as it arrives ({@link HttpRequest#bodyStream()}), of any size. */
    ApiRouter addStreamed(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile("^" + pathRegex + "$"), handler, true));
        return this;
    }

    /** Whether the request's route streams its body; false for any path that would be refused. */
    boolean streamsBody(String method, String rawPath) {
        String path;
        try {
            path = stripVersion(rawPath);
        } catch (ApiError e) {
            return false;
        }
        for (Route r : routes)
            if (r.method.equals(method) && r.path.matcher(path).matches()) return r.streamsBody;
        return false;
    }

    /** @throws ApiError 404 for an unknown path, 405 for a known path with another method, 400 for a too new version */
    Match route(String method, String rawPath) {
        String path = stripVersion(rawPath);
        boolean pathKnown = false;
        for (Route r : routes) {
            Matcher m = r.path.matcher(path);
            if (!m.matches()) continue;
            pathKnown = true;
            if (!r.method.equals(method) && !(method.equals("HEAD") && r.method.equals("GET") && path.equals("/_ping"))) continue;
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) params.add(m.group(i));
            return new Match(r.handler, params);
        }
        if (pathKnown) throw new ApiError(405, "method " + method + " is not allowed on " + path);
        throw new ApiError(404, "page not found: hutch's Docker API does not serve " + method + " " + path
                + " yet (see docs/docker-api.md)");
    }

    static String stripVersion(String path) {
        Matcher m = VERSION_PREFIX.matcher(path);
        if (!m.matches()) return path;
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
        if (major > 1 || (major == 1 && minor > DockerApi.API_MINOR))
            throw ApiError.badParameter("client version " + major + "." + minor + " is too new. Maximum supported API version is "
                    + DockerApi.API_VERSION);
        return m.group(3);
    }
}
