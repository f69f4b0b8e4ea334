package dev.hutch.junit5;

import dev.hutch.config.EngineConfig;
import dev.hutch.spec.ContainerSpec;

/**
 * A JVM that starts one container the way the extension does and then waits to be ended, for
 * {@link JvmExitTest}: its roots come from the environment (the test's private ones).
 */
public final class JvmExitProbe {
    private JvmExitProbe() {}

    public static void main(String[] args) throws InterruptedException {
        HutchExtension hutch = HutchExtension.using(EngineConfig.fromEnvironment(System.getenv()));
        HutchContainerRef ref = HutchContainerRef.of(ContainerSpec.builder("busybox").command("sleep", "600").network("none"));
        ref.start(hutch.engine(), "JvmExitProbe.ref", ContainerLabels.name("ref"), ContainerLabels.of(JvmExitProbe.class, "main", "JvmExitProbe.ref"));
        System.out.println(ref.id());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
