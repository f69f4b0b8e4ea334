package dev.hutch.cli.api;

import dev.hutch.HutchException;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.NotFoundException;
import dev.hutch.json.Json;
import dev.hutch.spec.Resources;
import dev.hutch.spec.RestartPolicy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code POST /containers/{id}/update}: docker update's body, applied by the same engine calls as
 * {@code hutch update} (the limits into the live cgroup, the restart policy for the next exit).
 * A field hutch cannot change is refused (400, naming it) rather than ignored; the zeros the docker
 * CLI sends for the fields it was not given mean "unchanged", as for dockerd.
 */
final class ContainerUpdate {
    private static final Set<String> FIELDS = Set.of("Memory", "MemorySwap", "MemoryReservation", "NanoCpus", "CpuShares",
            "CpuPeriod", "CpuQuota", "CpusetCpus", "CpusetMems", "PidsLimit", "BlkioWeight", "RestartPolicy");

    private ContainerUpdate() {}

    static void register(ApiRouter router) {
        router.add("POST", "/containers/([^/]+)/update", ContainerUpdate::update);
    }

    static void update(ApiCall call) throws IOException {
        String ref = call.param(0);
        Map<String, Object> body = NetworkEndpoints.body(call);
        Set<String> refused = new TreeSet<>();
        body.forEach((k, v) -> { if (!FIELDS.contains(k) && !isZero(v)) refused.add(k); });
        if (!refused.isEmpty())
            throw ApiError.badParameter(String.join(", ", refused) + ": hutch cannot update " + (refused.size() == 1 ? "this field" : "these fields")
                    + " (it changes " + String.join(", ", new TreeSet<>(FIELDS)) + ")");
        Resources.Builder b = Resources.builder();
        Long memory = number(body, "Memory");
        if (memory != null && memory != 0) b.memory(memory);
        Long swap = number(body, "MemorySwap");
        if (swap != null && swap != 0) b.memorySwap(swap);
        Long reservation = number(body, "MemoryReservation");
        if (reservation != null && reservation != 0) b.memoryReservation(reservation);
        Long nanoCpus = number(body, "NanoCpus");
        if (nanoCpus != null && nanoCpus != 0) b.cpus(nanoCpus / 1e9);
        Long shares = number(body, "CpuShares");
        if (shares != null && shares != 0) b.cpuShares(shares);
        Long period = number(body, "CpuPeriod");
        if (period != null && period != 0) b.cpuPeriod(period);
        Long quota = number(body, "CpuQuota");
        if (quota != null && quota != 0) b.cpuQuota(quota);
        if (body.get("CpusetCpus") instanceof String s && !s.isEmpty()) b.cpusetCpus(s);
        if (body.get("CpusetMems") instanceof String s && !s.isEmpty()) b.cpusetMems(s);
        Long pids = number(body, "PidsLimit");
        if (pids != null && pids != 0) b.pidsLimit(pids);
        Long weight = number(body, "BlkioWeight");
        if (weight != null && weight != 0) b.blkioWeight(weight.intValue());
        RestartPolicy restart = null;
        if (body.get("RestartPolicy") instanceof Map<?, ?> rp && rp.get("Name") instanceof String name && !name.isEmpty()) {
            Long max = number(rp, "MaximumRetryCount");
            restart = RestartPolicy.parse(name + (max == null || max == 0 ? "" : ":" + max));
        }
        Resources changes = b.build();
        try {
            String id = call.engine().resolve(ref);
            if (!changes.isEmpty()) call.engine().update(id, changes);
            if (restart != null) call.engine().updateRestart(id, restart);
        } catch (NotFoundException e) {
            throw ApiError.noSuchContainer(ref);
        } catch (InvalidSpecException e) {
            throw ApiError.badParameter(e.getMessage());
        } catch (HutchException e) {
            throw ApiError.conflict("Cannot update container " + ref + ": " + e.getMessage());
        }
        call.response().json(200, Map.of("Warnings", List.of()));
    }

    private static Long number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (!(v instanceof Number n)) throw ApiError.badParameter(key + " must be a number, not " + Json.write(v));
        return n.longValue();
    }

    /** What the docker CLI sends for a field it was not given. */
    private static boolean isZero(Object v) {
        return v == null || Boolean.FALSE.equals(v) || (v instanceof Number n && n.doubleValue() == 0)
                || (v instanceof String s && s.isEmpty())
                || (v instanceof List<?> l && l.stream().allMatch(ContainerUpdate::isZero))
                || (v instanceof Map<?, ?> m && m.values().stream().allMatch(ContainerUpdate::isZero));
    }
}
