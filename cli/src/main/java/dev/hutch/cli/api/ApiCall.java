package dev.hutch.cli.api;

import dev.hutch.engine.Engine;
import dev.hutch.runtime.ChildStdio;

import java.util.List;
import java.util.Map;

/** One routed request: what was asked, the path's parameters, where to answer, the engine, and the service's memory. */
record ApiCall(HttpRequest request, List<String> params, HttpResponse response, Engine engine, DockerApi api) {

    Attachments attachments() { return api.attachments(); }

    ExecInstances execs() { return api.execs(); }

    /** An engine whose foreground helpers get {@code stdio} (the API's pipes) rather than the service's own. */
    Engine engine(ChildStdio stdio) { return api.engine(stdio); }

    /** The service's environment, which the helpers the API starts get. */
    Map<String, String> env() { return api.env(); }

    String param(int i) { return params.get(i); }

    String query(String name) { return request.query().get(name); }

    /** docker's boolean query values: "1", "true" (any case) are true; absent is the default. */
    boolean flag(String name, boolean dflt) {
        String v = query(name);
        if (v == null || v.isEmpty()) return dflt;
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    Integer intQuery(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badParameter("invalid value for " + name + ": \"" + v + "\" is not a number");
        }
    }
}
