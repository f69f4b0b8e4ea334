package dev.hutch.cli.api;

import dev.hutch.engine.Engine;

import java.util.List;

/** One routed request: what was asked, the path's parameters, where to answer, and the engine. */
record ApiCall(HttpRequest request, List<String> params, HttpResponse response, Engine engine, PendingContainers pending) {
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
