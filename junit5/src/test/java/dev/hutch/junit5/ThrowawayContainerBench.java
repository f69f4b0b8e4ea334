package dev.hutch.junit5;

import dev.hutch.spec.ContainerSpec;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/junit5.sh's workload, not a test (surefire's default includes leave out *Bench): one
 * throwaway container per test, on the default bridge network, started, found running and removed
 * by the extension. Each invocation of the parameterized test is a whole test (its own instance,
 * beforeEach and afterEach), so surefire's time per test case is the cost a user's test pays.
 * {@code -Dhutch.bench.runs=N} (default 20).
 */
@RequiresRoot
class ThrowawayContainerBench {
    @RegisterExtension
    @Order(1)
    static final PrivateRoots roots = new PrivateRoots();

    @RegisterExtension
    @Order(2)
    static final HutchExtension hutch = HutchExtension.using(roots::config);

    @HutchContainer
    final HutchContainerRef throwaway = HutchContainerRef.of(ContainerSpec.builder("busybox").command("sleep", "600"));

    /** The image is made before the first timed test: its one-off build is not a test's cost. */
    @BeforeAll
    static void buildTheImageFirst() { hutch.engine().image("busybox"); }

    static IntStream runs() { return IntStream.rangeClosed(1, Integer.getInteger("hutch.bench.runs", 20)); }

    @ParameterizedTest
    @MethodSource("runs")
    void oneThrowawayContainer(int run) { assertTrue(throwaway.isRunning()); }
}
