package dev.hutch.config;

import java.util.Map;

/**
 * The environment of whoever asked for this engine: the CLI's own process, or the client of the
 * engine service (many callers in one JVM). Every HUTCH_* switch the engine reads comes from
 * here, never from {@link System#getenv}, so one caller's switches never leak into another's run.
 *
 * @param vars the variables exactly as the caller has them (an unmodifiable copy)
 */
public record CallerEnvironment(Map<String, String> vars) {
    private static final CallerEnvironment EMPTY = new CallerEnvironment(Map.of());

    public CallerEnvironment {
        vars = Map.copyOf(vars);
    }

    public static CallerEnvironment empty() { return EMPTY; }

    /** This JVM's own environment: the in-process CLI, tests. */
    public static CallerEnvironment ofThisProcess() { return new CallerEnvironment(System.getenv()); }

    /** The value, or null when unset. */
    public String get(String name) { return vars.get(name); }

    /** The value, or null when unset or empty. */
    public String nonEmpty(String name) {
        String v = vars.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** HUTCH_TRACE=1: start-up tracing marks (see {@link dev.hutch.util.Trace}). */
    public boolean trace() { return "1".equals(vars.get("HUTCH_TRACE")); }

    /** Not the values: an environment may hold secrets, and configs end up in messages and logs. */
    @Override
    public String toString() { return "CallerEnvironment[" + vars.size() + " variables]"; }
}
