package dev.hutch.spec;

import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

class SpecValidatorTest {

    private static String error(Consumer<ContainerSpec.Builder> change) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").command("true");
        change.accept(b);
        return assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(b.build(), 2)).getMessage();
    }

    @Test
    void acceptsAPlainSpec() {
        ContainerSpec ok = ContainerSpec.builder("busybox").name("web-1").command("true").build();
        assertSame(ok, SpecValidator.validate(ok, 2));
    }

    @Test
    void namesTheFieldAndValueOfEachMistake() {
        assertTrue(error(b -> b.name("../etc")).startsWith("--name: \"../etc\""));
        assertTrue(error(b -> b.name("a/b")).startsWith("--name: \"a/b\""));
        assertTrue(error(b -> b.hostname("bad_host!")).startsWith("--hostname"));
        assertTrue(error(b -> b.process().env("NOEQUALS")).startsWith("--env: \"NOEQUALS\""));
        assertTrue(error(b -> b.process().workdir("relative")).startsWith("--workdir"));
        assertTrue(error(b -> b.mount(Mount.bind("/srv", "/a/../etc", false))).contains("'..'"));
        assertTrue(error(b -> b.image("")).startsWith("IMAGE"));
        assertTrue(error(b -> b.network("none").port(PortMapping.parse("80:80"))).startsWith("--publish"));
        assertTrue(error(b -> b.network("none").network("host")).startsWith("--network"));
    }

    @Test
    void checksResourceLimitsLikeTheKernelWould() {
        assertTrue(error(b -> b.resources().cpus(4.0)).contains("this host has 2 CPUs"));
        assertTrue(error(b -> b.resources().cpus(0.0)).startsWith("--cpus"));
        assertTrue(error(b -> b.resources().cpus(0.5).cpuQuota(50000L)).contains("cannot be combined"));
        assertTrue(error(b -> b.resources().cpuPeriod(100L)).startsWith("--cpu-period"));
        assertTrue(error(b -> b.resources().memory(100L)).startsWith("--memory"));
        assertTrue(error(b -> b.resources().memory(64L << 20).memorySwap(32L << 20)).startsWith("--memory-swap"));
        assertTrue(error(b -> b.resources().pidsLimit(-5L)).startsWith("--pids-limit"));
        assertTrue(error(b -> b.resources().cpusetCpus("0-7")).contains("CPU 7"));
        assertTrue(error(b -> b.resources().blkioWeight(5)).startsWith("--blkio-weight"));
    }
}
