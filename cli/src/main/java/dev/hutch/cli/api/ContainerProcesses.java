package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.cgroup.ContainerCgroup;
import dev.hutch.cli.HostPs;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pause, unpause and top: the container's cgroup through the engine (the freezer, the pids in
 * it), answered as dockerd does. top is {@link HostPs}: the host's {@code ps} with the client's
 * arguments (default {@code -ef}), the rows whose PID is in the container's cgroup.
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
        String args = call.query("ps_args");
        HostPs.Listing listing;
        try {
            listing = HostPs.of(cgroup.pids(), args == null || args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+")));
        } catch (HutchException e) {
            throw new ApiError(500, e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Titles", listing.titles());
        m.put("Processes", listing.processes());
        call.response().json(200, m);
    }
}
