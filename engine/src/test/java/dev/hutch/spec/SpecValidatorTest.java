package dev.hutch.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
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

    @Test
    void namespaceModesAreDockersWords() {
        NamespaceSharing d = NamespaceSharing.DEFAULT;
        for (String ok : List.of("host", "private", "shareable", "none", "container:db"))
            SpecValidator.validate(ContainerSpec.builder("busybox").namespaces(d.withIpc(ok)).build(), 2);
        for (String ok : List.of("host", "private", "container:db"))
            SpecValidator.validate(ContainerSpec.builder("busybox").namespaces(d.withPid(ok)).build(), 2);
        assertEquals("--ipc: \"shared\" is not an IPC mode (use host, private, shareable, none or container:NAME)",
                error(b -> b.namespaces(d.withIpc("shared"))));
        assertTrue(error(b -> b.namespaces(d.withPid("none"))).startsWith("--pid: \"none\" is not a PID mode"));
        assertTrue(error(b -> b.namespaces(d.withPid("container:"))).startsWith("--pid: \"container:\" names no container"));
        assertTrue(error(b -> b.namespaces(d.withUts("container:db"))).startsWith("--uts: \"container:db\" is not a UTS mode"));
        assertTrue(error(b -> b.namespaces(d.withCgroupns("shareable"))).startsWith("--cgroupns: \"shareable\" is not"));
        assertTrue(error(b -> b.namespaces(d.withUts("host")).hostname("x")).startsWith("--hostname: \"x\" conflicts with --uts host"));
        assertTrue(error(b -> b.namespaces(d.withPid("host")).security().userns(UserNamespaceMode.parse("auto")))
                .startsWith("--pid: \"host\" cannot be combined with --userns"));
        assertTrue(error(b -> b.namespaces(d.withIpc("container:db")).kernel().sysctl("kernel.msgmax", "1"))
                .startsWith("--sysctl: \"kernel.msgmax\" is not allowed with --ipc container:db"));
        assertTrue(error(b -> b.volumesFrom("db:rx")).startsWith("--volumes-from: \"db:rx\" has mode \"rx\" (use ro or rw)"));
    }

    @Test
    void volumesFromKeepsEachModeUnlessToldAndLeavesOutTmpfsAndOwnPaths() {
        List<Mount> source = List.of(Mount.volume("data", "/data", false), Mount.volume("", "/anon", false),
                Mount.bind("/srv", "/srv", true), Mount.tmpfs("/run", Map.of()), Mount.volume("logs", "/logs", false));
        List<Mount> own = List.of(Mount.bind("/mine", "/logs", false));
        List<Mount> got = VolumesFrom.parse("src").mountsOf(source, own, i -> "src-anon-" + i);
        assertEquals(List.of("VOLUME data /data rw", "VOLUME src-anon-1 /anon rw", "BIND /srv /srv ro"),
                got.stream().map(m -> m.type() + " " + m.source() + " " + m.target() + (m.readOnly() ? " ro" : " rw")).toList());
        assertTrue(VolumesFrom.parse("src:ro").mountsOf(source, own, i -> "a").stream().allMatch(Mount::readOnly));
        assertTrue(VolumesFrom.parse("src:rw").mountsOf(source, own, i -> "a").stream().noneMatch(Mount::readOnly));
    }
}
