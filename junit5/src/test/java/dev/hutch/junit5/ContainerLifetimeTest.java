package dev.hutch.junit5;

import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import dev.hutch.util.ProcStat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The extension's lifetimes, seen from outside the test classes that use it: each scenario is a
 * nested class run through JUnit (EngineTestKit) as a user's build would run it; its tests write
 * down what they saw of their containers, and afterwards this class checks the host: no state
 * dir, no cgroup, no process of any of them.
 */
@RequiresRoot
class ContainerLifetimeTest {
    static TestRoots roots;
    /** What each nested test saw of its container, by test name; written from the nested tests' threads. */
    static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

    record Seen(String id, String name, long pid, long pidStartTime, List<String> cgroups, Map<String, String> labels) {
        static Seen of(HutchContainerRef ref) {
            ContainerState s = ref.state();
            assertTrue(s.isRunning(), "the container runs when the test body starts: " + s.status());
            return new Seen(s.id(), s.name(), s.pid(), s.pidStartTime(), s.cgroupPaths(), s.spec().labels());
        }
    }

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() {
        if (roots != null) roots.close();
    }

    @BeforeEach
    void clear() { SEEN.clear(); }

    /** The outer class's roots, asked for only when a container starts (a nested class loaded on its own makes none). */
    static HutchExtension extension() { return HutchExtension.using(() -> roots.config()); }

    static ContainerSpec.Builder sleeper() { return ContainerSpec.builder("busybox").command("sleep", "600").network("none"); }

    // ---- per class: one container for both tests --------------------------------------------

    @OnlyFromTestKit
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassLifetime {
        @RegisterExtension
        static final HutchExtension hutch = extension();

        @HutchContainer
        static final HutchContainerRef shared = HutchContainerRef.of(sleeper());

        @Test
        @Order(1)
        void first() { SEEN.put("first", Seen.of(shared)); }

        @Test
        @Order(2)
        void second() { SEEN.put("second", Seen.of(shared)); }
    }

    @Test
    void aStaticFieldIsOneContainerForTheWholeClassRemovedAfterIt() {
        EngineExecutionResults r = TestKit.run(PerClassLifetime.class);
        TestKit.assertTests(r, 2, 2, 0);
        Seen first = SEEN.get("first"), second = SEEN.get("second");
        assertEquals(first.id(), second.id(), "both tests saw the same container");
        assertEquals(first.pid(), second.pid(), "and the same process: it was not restarted");
        assertEquals(PerClassLifetime.class.getName(), first.labels().get(ContainerLabels.CLASS));
        assertEquals("", first.labels().get(ContainerLabels.TEST), "a per-class container belongs to no one test");
        assertEquals(ContainerLabels.RUN_ID, first.labels().get(ContainerLabels.RUN));
        assertGone(first);
    }

    // ---- per test: a new container in each test ---------------------------------------------

    @OnlyFromTestKit
    static class PerTestLifetime {
        @RegisterExtension
        static final HutchExtension hutch = extension();

        @HutchContainer
        final HutchContainerRef own = HutchContainerRef.of(sleeper());

        @Test
        void one() { SEEN.put("one", Seen.of(own)); }

        @Test
        void two() { SEEN.put("two", Seen.of(own)); }
    }

    @Test
    void anInstanceFieldIsANewContainerInEachTest() {
        EngineExecutionResults r = TestKit.run(PerTestLifetime.class);
        TestKit.assertTests(r, 2, 2, 0);
        Seen one = SEEN.get("one"), two = SEEN.get("two");
        assertNotEquals(one.id(), two.id());
        assertNotEquals(one.name(), two.name());
        assertEquals("one", one.labels().get(ContainerLabels.TEST));
        assertEquals("two", two.labels().get(ContainerLabels.TEST));
        assertGone(one);
        assertGone(two);
    }

    // ---- a failing test: its container is removed all the same ------------------------------

    @OnlyFromTestKit
    static class Failing {
        @RegisterExtension
        static final HutchExtension hutch = extension();

        @HutchContainer
        final HutchContainerRef own = HutchContainerRef.of(sleeper());

        @HutchContainer
        static final HutchContainerRef shared = HutchContainerRef.of(sleeper());

        @Test
        void fails() {
            SEEN.put("fails", Seen.of(own));
            SEEN.put("shared", Seen.of(shared));
            fail("failing on purpose");
        }
    }

    @Test
    void aFailingTestsContainersAreGoneAfterwards() {
        EngineExecutionResults r = TestKit.run(Failing.class);
        TestKit.assertTests(r, 1, 0, 1);
        String why = r.testEvents().failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertEquals("failing on purpose", why, "the test's own failure is reported, not a cleanup error");
        assertGone(SEEN.get("fails"));
        assertGone(SEEN.get("shared"));
    }

    // ---- a container that ends before it is ready: the test fails, saying why, and it is removed

    @OnlyFromTestKit
    static class EndsBeforeReady {
        @RegisterExtension
        static final HutchExtension hutch = extension();

        @HutchContainer
        final HutchContainerRef quitter = HutchContainerRef.of(ContainerSpec.builder("busybox")
                .command("sh", "-c", "echo giving up; exit 7")).waitingForPort(8080);

        @Test
        void neverRuns() { SEEN.put("neverRuns", Seen.of(quitter)); }
    }

    @Test
    void aContainerThatEndsBeforeItIsReadyFailsTheTestWithItsOutputAndIsRemoved() {
        EngineExecutionResults r = TestKit.run(EndsBeforeReady.class);
        TestKit.assertTests(r, 1, 0, 1);
        String why = r.testEvents().failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(why.matches("container j5-quitter-\\p{XDigit}+ ended \\(exit code 7\\) before port 8080 answering .*; its last output: giving up"), why);
        assertFalse(SEEN.containsKey("neverRuns"), "the test body did not run");
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }

    // ---- an image the store does not have: one line saying the extension does not pull -------

    @OnlyFromTestKit
    static class MissingImage {
        @RegisterExtension
        static final HutchExtension hutch = extension();

        @HutchContainer
        final HutchContainerRef missing = HutchContainerRef.of(ContainerSpec.builder("hutch-test/no-such-image:1").command("true"));

        @Test
        void neverRuns() { SEEN.put("neverRuns", Seen.of(missing)); }
    }

    @Test
    void anImageNotInTheStoreFailsWithWhatToDo() {
        EngineExecutionResults r = TestKit.run(MissingImage.class);
        TestKit.assertTests(r, 1, 0, 1);
        String why = r.testEvents().failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(why.startsWith("@HutchContainer MissingImage.missing: no image 'hutch-test/no-such-image:1' in hutch's store at "), why);
        assertTrue(why.contains("the extension does not pull: run `sudo hutch pull hutch-test/no-such-image:1` first"), why);
        assertEquals(List.of(), roots.leftoverContainers());
    }

    // ---- parallel: four tests at once, each with its own container --------------------------

    static final int PARALLEL = 4;
    static final CyclicBarrier ALL_STARTED = new CyclicBarrier(PARALLEL);

    @OnlyFromTestKit
    static class Parallel {
        @RegisterExtension
        static final HutchExtension hutch = extension();

        @HutchContainer
        final HutchContainerRef own = HutchContainerRef.of(sleeper());

        /** Returns only when all four tests hold a running container at the same moment. */
        void together(String test) throws InterruptedException, BrokenBarrierException, TimeoutException {
            SEEN.put(test, Seen.of(own));
            ALL_STARTED.await(120, TimeUnit.SECONDS);
            assertTrue(own.isRunning());
        }

        @Test
        void a() throws Exception { together("a"); }

        @Test
        void b() throws Exception { together("b"); }

        @Test
        void c() throws Exception { together("c"); }

        @Test
        void d() throws Exception { together("d"); }
    }

    @Test
    void testsRunInParallelEachWithItsOwnContainer() {
        ALL_STARTED.reset();
        EngineExecutionResults r = TestKit.run(Parallel.class, true);
        TestKit.assertTests(r, PARALLEL, PARALLEL, 0);
        assertEquals(PARALLEL, SEEN.values().stream().map(Seen::id).distinct().count(), "four containers: " + SEEN);
        assertEquals(PARALLEL, SEEN.values().stream().map(Seen::name).distinct().count(), "with four names: " + SEEN);
        SEEN.values().forEach(ContainerLifetimeTest::assertGone);
    }

    // ---- one test instance for concurrent tests: the second is refused and removes nothing ----

    static final CountDownLatch REFUSED_ONE_DONE = new CountDownLatch(1);

    /** Registered before the HutchExtension, so its afterEach runs after the extension's. */
    static final class AfterHutch implements AfterEachCallback {
        @Override
        public void afterEach(ExtensionContext ctx) {
            if (ctx.getExecutionException().isPresent()) REFUSED_ONE_DONE.countDown();
        }
    }

    @OnlyFromTestKit
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT) // JUnit runs a PER_CLASS class's methods in one thread unless told
    static class SharedInstance {
        @RegisterExtension
        @Order(1)
        static final AfterHutch after = new AfterHutch();

        @RegisterExtension
        @Order(2)
        static final HutchExtension hutch = extension();

        @HutchContainer
        final HutchContainerRef own = HutchContainerRef.of(sleeper());

        /** Whichever test started the container keeps it while the other is refused and cleaned up after. */
        void keeps(String test) throws InterruptedException {
            String id = own.id();
            assertTrue(REFUSED_ONE_DONE.await(60, TimeUnit.SECONDS), "the other test was refused and finished");
            assertTrue(own.isRunning(), "the refused test removed this test's container");
            assertEquals(id, own.id());
            SEEN.put(test, Seen.of(own));
        }

        @Test
        void x() throws InterruptedException { keeps("x"); }

        @Test
        void y() throws InterruptedException { keeps("y"); }
    }

    @Test
    void anInstanceSharedByConcurrentTestsIsRefusedToTheSecondWithoutHarmToTheFirst() {
        EngineExecutionResults r = TestKit.run(SharedInstance.class, true);
        TestKit.assertTests(r, 2, 1, 1);
        String why = r.testEvents().failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(why.startsWith("@HutchContainer SharedInstance.own already runs container j5-own-"), why);
        assertTrue(why.contains("make it static or run those tests in order"), why);
        assertEquals(1, SEEN.size(), SEEN.toString());
        SEEN.values().forEach(ContainerLifetimeTest::assertGone);
    }

    // ---- what "gone" means ------------------------------------------------------------------

    /** Observed on the host: no state dir, no cgroup directory, no process left of the container. */
    static void assertGone(Seen s) {
        assertFalse(Files.exists(roots.config().containerStateDir(s.id())), "state dir of " + s.name() + " left");
        assertFalse(s.cgroups().isEmpty(), "the container had cgroups");
        for (String cg : s.cgroups()) assertFalse(Files.exists(Path.of(cg)), "cgroup " + cg + " left");
        assertFalse(ProcStat.isAlive(Path.of("/proc"), s.pid(), s.pidStartTime()), "process " + s.pid() + " of " + s.name() + " still runs");
        assertEquals(List.of(), RunningContainers.live().stream().filter(s.id()::equals).toList(), "the shutdown hook's list still has it");
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
