package dev.hutch.cli.api;

import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.TestcontainersConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/junit5.sh's second row, not a test (surefire's default includes leave out *Bench): the
 * workload of junit5's ThrowawayContainerBench done the way a Testcontainers user does it, one
 * GenericContainer of busybox running {@code sleep 600} per test, started in beforeEach, found
 * running, stopped (removed) in afterEach, through hutch's Docker API served by a private
 * {@code hutch engine serve} on the bench's own roots (configured as {@link TestcontainersTest}
 * does). Each invocation of the parameterized test is a whole test, so surefire's time per test
 * case is the cost a user's test pays. {@code -Dhutch.bench.runs=N} (default 20).
 */
@RequiresRoot
class ThrowawayContainerTestcontainersBench {
    static PrivateDockerApi api;
    GenericContainer<?> throwaway;

    @BeforeAll
    static void startTheApiAndMakeTheImage() throws Exception {
        api = new PrivateDockerApi();
        Path home = Files.createDirectories(api.roots.dir().resolve("home"));
        Files.writeString(home.resolve(".testcontainers.properties"), String.join("\n",
                "docker.client.strategy=org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy",
                "docker.host=" + api.dockerHost(),
                "ryuk.disabled=true",
                "checks.disable=true", ""));
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            TestcontainersConfiguration.getInstance();
        } finally {
            System.setProperty("user.home", realHome);
        }
        assertTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker API at " + api.dockerHost());
        // the image's one-off build (and Testcontainers' first connection) is not a test's cost
        try (GenericContainer<?> first = container()) {
            first.start();
        }
    }

    @AfterAll
    static void stopTheApi() throws Exception {
        if (api != null) api.close();
    }

    static GenericContainer<?> container() {
        return new GenericContainer<>(DockerImageName.parse("busybox:latest")).withCommand("sleep", "600");
    }

    @BeforeEach
    void start() {
        throwaway = container();
        throwaway.start();
    }

    @AfterEach
    void stop() {
        throwaway.stop();
    }

    static IntStream runs() { return IntStream.rangeClosed(1, Integer.getInteger("hutch.bench.runs", 20)); }

    @ParameterizedTest
    @MethodSource("runs")
    void oneThrowawayContainer(int run) { assertTrue(throwaway.isRunning()); }
}
