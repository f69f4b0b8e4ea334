package dev.hutch.net;

import dev.hutch.config.EngineConfig;
import dev.hutch.spec.ContainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The start-up budget: {@code --network none} and {@code host} must not load JNA. Checked in a fresh
 * JVM with {@code -verbose:class}, because in this one other tests have loaded it already.
 */
class NoneStaysJnaFreeTest {
    @TempDir Path tmp;

    @Test
    void noneAndHostNeverLoadJna() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("dev.hutch.net.HostNetworking"), "the check ran");
        assertFalse(out.contains("com.sun.jna"), "JNA was loaded");
        assertFalse(out.contains("dev.hutch.sys.JnaSyscalls"), "the JNA syscalls were loaded");
    }

    /** prepare, attach and release a none and a host container, as the engine would. */
    public static final class Main {
        public static void main(String[] args) {
            Path tmp = Path.of(args[0]);
            EngineConfig config = EngineConfig.defaults().withRunRoot(tmp.resolve("run")).withLibRoot(tmp.resolve("lib"));
            config = new EngineConfig(config.runRoot(), config.libRoot(), config.cgroupRoot(), "hutch", Path.of("/proc"),
                    tmp.resolve("netns"), "hutcht0", "10.199.201.0/24");
            HostNetworking n = new HostNetworking(config, name -> null);
            for (String mode : new String[] {"none", "host"}) {
                NetworkPlan plan = n.prepare("c-" + mode, "x-" + mode, "h", ContainerSpec.builder("busybox").network(mode).build());
                NetworkRecord rec = plan.needsWiring() ? n.attach(plan, ProcessHandle.current().pid()) : plan.record();
                n.release("c-" + mode, rec);
            }
        }
    }
}
