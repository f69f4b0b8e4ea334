package dev.hutch.cli.api;

import dev.hutch.cgroup.ContainerCgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * pause, unpause and top: the container's cgroup through the engine (the freezer, the pids in
 * it), answered as dockerd does. top runs the host's {@code ps} with the client's arguments
 * (default {@code -ef}) and keeps the rows whose PID is in the container's cgroup, as dockerd does.
 */
final class ContainerProcesses {
    private ContainerProcesses() {}

    static void register(ApiRouter router) {
        router.add("POST", "/containers/([^/]+)/pause", ContainerProcesses::pause)
                .add("POST", "/containers/([^/]+)/unpause", ContainerProcesses::unpause)
                .add("GET", "/containers/([^/]+)/top", ContainerProcesses::top);
    }

    static void pause(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = running(call);
        if (f.view().status() == dev.hutch.state.ContainerStatus.PAUSED) throw ApiError.conflict("Container " + f.id() + " is already paused");
        call.engine().pause(f.id());
        call.response().empty(204);
    }

    static void unpause(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = running(call);
        if (f.view().status() != dev.hutch.state.ContainerStatus.PAUSED) throw ApiError.conflict("Container " + f.id() + " is not paused");
        call.engine().unpause(f.id());
        call.response().empty(204);
    }

    private static ContainerEndpoints.Found running(ApiCall call) {
        ContainerEndpoints.Found f = ContainerEndpoints.find(call, call.param(0));
        if (!f.running()) throw ApiError.conflict("Container " + f.id() + " is not running");
        return f;
    }

    static void top(ApiCall call) throws IOException {
        ContainerEndpoints.Found f = running(call);
        ContainerCgroup cgroup = call.engine().cgroup(f.id());
        Set<String> pids = new HashSet<>();
        for (Long p : cgroup.pids()) pids.add(Long.toString(p));
        String args = call.query("ps_args");
        List<String> argv = new ArrayList<>(List.of("ps"));
        argv.addAll(args == null || args.isBlank() ? List.of("-ef") : Arrays.asList(args.trim().split("\\s+")));
        String out = ps(argv);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new ApiError(500, "ps printed nothing");
        List<String> titles = Arrays.asList(lines.get(0).trim().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) throw new ApiError(500, "Couldn't find PID field in ps output (ps_args \"" + args + "\" must keep the PID column)");
        List<List<String>> processes = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+", titles.size());
            if (fields.length > pidColumn && pids.contains(fields[pidColumn])) processes.add(Arrays.asList(fields));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Titles", titles);
        m.put("Processes", processes);
        call.response().json(200, m);
    }

    private static String ps(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ApiError(500, "ps did not end in 30 s");
            }
            if (p.exitValue() != 0) throw new ApiError(500, "ps failed: " + out.strip());
            return out;
        } catch (IOException e) {
            throw new ApiError(500, "cannot run ps: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(500, "interrupted");
        }
    }
}
