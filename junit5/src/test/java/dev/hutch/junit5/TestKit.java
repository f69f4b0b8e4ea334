package dev.hutch.junit5;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs a nested test class with JUnit Jupiter in this JVM, as a user's build would. */
final class TestKit {
    private TestKit() {}

    static EngineExecutionResults run(Class<?> testClass) { return run(testClass, false); }

    /** @param parallel JUnit's parallel execution on, every test concurrent, four threads */
    static EngineExecutionResults run(Class<?> testClass, boolean parallel) {
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .configurationParameter(OnlyFromTestKit.PARAMETER, "true");
        if (parallel) {
            kit = kit.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        }
        return kit.execute();
    }

    /** Asserts how many tests ran and passed; a mismatch shows each failure's own stack trace. */
    static void assertTests(EngineExecutionResults r, int started, int succeeded, int failed) {
        StringBuilder failures = new StringBuilder();
        r.allEvents().failed().list().forEach(e -> e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).ifPresent(t -> {
                    java.io.StringWriter w = new java.io.StringWriter();
                    t.printStackTrace(new java.io.PrintWriter(w));
                    failures.append("\n").append(e.getTestDescriptor().getDisplayName()).append(": ").append(w);
                }));
        var stats = r.testEvents();
        String seen = "started " + stats.started().count() + ", succeeded " + stats.succeeded().count() + ", failed "
                + stats.failed().count() + ", skipped " + stats.skipped().count() + ", aborted " + stats.aborted().count() + failures;
        org.junit.jupiter.api.Assertions.assertAll(
                () -> org.junit.jupiter.api.Assertions.assertEquals(started, stats.started().count(), seen),
                () -> org.junit.jupiter.api.Assertions.assertEquals(succeeded, stats.succeeded().count(), seen),
                () -> org.junit.jupiter.api.Assertions.assertEquals(failed, stats.failed().count(), seen));
    }
}
