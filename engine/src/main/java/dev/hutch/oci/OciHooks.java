package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The bundle's {@code hooks} that run in the runtime's namespaces, on the host: {@code
 * createRuntime} and {@code prestart} (after the namespaces exist, before init goes on: a
 * failure fails create), {@code poststart} (after start) and {@code poststop} (in delete), whose
 * failures are warnings, as the runtime-spec says. {@code createContainer} and {@code
 * startContainer} run inside the container and are refused. Each hook gets the container's state
 * on stdin, exactly its {@code env}, and its output goes to the runtime's stderr (stdout is the
 * container's); {@code timeout} seconds, then SIGKILL.
 */
public final class OciHooks {
    static final Set<String> RUN_ON_HOST = Set.of("prestart", "createRuntime", "poststart", "poststop");

    private OciHooks() {}

    /** Checks the hooks object; returns it to keep in the state (an empty map when there are none). */
    static Map<String, Object> check(JsonReader hooks) {
        ConfigFields.check(hooks, "hooks.", RUN_ON_HOST, Set.of());
        Map<String, Object> out = new LinkedHashMap<>();
        for (String stage : RUN_ON_HOST) {
            if (!hooks.has(stage)) continue;
            for (Object o : hooks.list(stage)) {
                JsonReader h = JsonReader.of(o);
                ConfigFields.check(h, "hooks." + stage + "[].", Set.of("path", "args", "env", "timeout"), Set.of());
                String path = h.string("path", "");
                if (!path.startsWith("/")) throw ConfigFields.refused("hooks." + stage + "[].path", "\"" + path + "\" must be absolute");
            }
            if (!hooks.list(stage).isEmpty()) out.put(stage, hooks.list(stage));
        }
        return out;
    }

    /** Runs every hook of a stage in order; the first failure is thrown. */
    static void run(Map<String, Object> hooks, String stage, Map<String, Object> state) {
        Object list = hooks.get(stage);
        if (!(list instanceof List<?> l)) return;
        for (Object o : l) runOne(JsonReader.of(o), stage, state);
    }

    private static void runOne(JsonReader h, String stage, Map<String, Object> state) {
        String path = h.string("path");
        List<String> args = h.has("args") ? h.strings("args") : List.of(path);
        List<String> argv = new java.util.ArrayList<>();
        argv.add(path); // argv[0] is the path: a JVM cannot give a program another argv[0]
        if (args.size() > 1) argv.addAll(args.subList(1, args.size()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/proc/self/fd/2")));
        pb.environment().clear();
        for (String kv : h.has("env") ? h.strings("env") : List.<String>of()) {
            int eq = kv.indexOf('=');
            if (eq > 0) pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        long timeout = h.number("timeout", 0);
        try {
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(Json.write(state).getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the hook does not read its stdin
            }
            boolean done = timeout > 0 ? p.waitFor(timeout, TimeUnit.SECONDS) : p.waitFor() >= 0;
            if (!done) {
                p.destroyForcibly().waitFor();
                throw new HutchException(stage + " hook " + path + " did not finish within " + timeout + " s");
            }
            if (p.exitValue() != 0) throw new HutchException(stage + " hook " + path + " failed with exit status " + p.exitValue());
        } catch (IOException e) {
            throw new HutchException(stage + " hook " + path + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted in the " + stage + " hook " + path, e);
        }
    }
}
