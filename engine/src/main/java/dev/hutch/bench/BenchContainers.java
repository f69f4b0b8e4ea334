package dev.hutch.bench;

import dev.hutch.cgroup.CgroupStats;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.Resources;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Starts the benchmark's workloads as detached busybox containers and always removes them, so a
 * benchmark (even an interrupted or failing one) leaves nothing behind. Every container carries the
 * label {@code hutch.bench=limits} so a person can tell them apart in {@code ps}.
 */
final class BenchContainers {
    static final String LABEL = "hutch.bench";

    private final Engine engine;
    private final String image;

    BenchContainers(Engine engine, String image) {
        this.engine = engine;
        this.image = image;
    }

    /** A busybox {@code sh -c script} with the given limits, network none. */
    ContainerSpec shell(String script, Consumer<Resources.Builder> limits) {
        ContainerSpec.Builder b = ContainerSpec.builder(image).command("sh", "-c", script).network("none")
                .label(LABEL, "limits");
        limits.accept(b.resources());
        return b.build();
    }

    /** Runs the spec detached, gives its id to {@code body}, and removes the container (force) whatever happens. */
    <T> T with(ContainerSpec spec, Function<String, T> body) {
        Started started = engine.run(spec, true);
        try {
            return body.apply(started.id());
        } finally {
            engine.remove(started.id(), true, true);
        }
    }

    CgroupStats stats(String id) { return engine.stats(id); }

    Engine engine() { return engine; }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.hutch.HutchException("benchmark interrupted", e);
        }
    }
}
