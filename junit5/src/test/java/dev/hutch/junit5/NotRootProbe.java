package dev.hutch.junit5;

import dev.hutch.spec.ContainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Run by {@link NotRootTest} as another user: runs {@link Declares} through JUnit and prints each
 * test's outcome and message, one line each ({@code FAILED message}, {@code ABORTED message}).
 * The argument {@code skip} sets {@code hutch.junit5.notRoot=skip}.
 */
public final class NotRootProbe {
    private NotRootProbe() {}

    @OnlyFromTestKit
    @ExtendWith(HutchExtension.class)
    static class Declares {
        @HutchContainer
        final HutchContainerRef box = HutchContainerRef.of(ContainerSpec.builder("busybox").command("sleep", "600"));

        @Test
        void needsAContainer() { System.out.println("BODY RAN"); }
    }

    public static void main(String[] args) {
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Declares.class))
                .configurationParameter(OnlyFromTestKit.PARAMETER, "true");
        if (args.length > 0 && args[0].equals("skip")) kit = kit.configurationParameter(HutchExtension.NOT_ROOT_PARAMETER, "skip");
        kit.execute().testEvents().finished().list().forEach(e -> {
            TestExecutionResult r = e.getRequiredPayload(TestExecutionResult.class);
            System.out.println(r.getStatus() + " " + r.getThrowable().map(Throwable::getMessage).orElse(""));
        });
    }
}
