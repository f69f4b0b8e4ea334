package dev.hutch.spec;

import dev.hutch.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SpecParsingTest {

    @Test
    void parsesDockerSizes() {
        assertEquals(64L << 20, ByteSize.parse("--memory", "64m"));
        assertEquals(1L << 30, ByteSize.parse("--memory", "1g"));
        assertEquals(1536L << 20, ByteSize.parse("--memory", "1.5GiB"));
        assertEquals(512, ByteSize.parse("--memory", "512"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> ByteSize.parse("--memory", "12xb"));
        assertEquals("--memory: \"12xb\" is not a size (try 64m, 1g)", e.getMessage());
        assertEquals("64MiB", ByteSize.format(64L << 20));
        assertEquals("1.5GiB", ByteSize.format(1536L << 20));
    }

    @Test
    void parsesPublishedPorts() {
        assertEquals(new PortMapping("", 8080, 80, "tcp"), PortMapping.parse("8080:80"));
        assertEquals(new PortMapping("127.0.0.1", 8080, 80, "udp"), PortMapping.parse("127.0.0.1:8080:80/udp"));
        assertEquals(new PortMapping("", 0, 80, "tcp"), PortMapping.parse("80"));
        assertEquals(new PortMapping("::1", 53, 53, "udp"), PortMapping.parse("[::1]:53:53/udp"));
        assertThrows(InvalidSpecException.class, () -> PortMapping.parse("70000:80"));
        assertThrows(InvalidSpecException.class, () -> PortMapping.parse("80/sctp"));
        assertThrows(InvalidSpecException.class, () -> PortMapping.parse("a:b:c:d"));
    }

    @Test
    void containerSpecSurvivesAJsonRoundTrip() {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").name("web").hostname("web").readOnlyRootfs(true)
                .command("httpd", "-f").mount(Mount.bind("/srv", "/www", true))
                .mount(Mount.tmpfs("/run", java.util.Map.of("size", "65536"))).network("lab")
                .port(PortMapping.parse("8080:80")).label("team", "core").autoRemove(true);
        b.process().env("A", "1").user("1000:1000").workdir("/www").tty(true).entrypoint(List.of("/bin/sh", "-c"));
        b.resources().cpus(0.5).memory(64L << 20).pidsLimit(100L)
                .deviceWriteBps(Resources.DeviceRate.parse("--device-write-bps", "/dev/vda:1mb"));
        b.kernel().sysctl("net.ipv4.ip_forward", "1").ulimit(new KernelOptions.Ulimit("nofile", 1024, 2048))
                .oomScoreAdj(-500).shmSize(128L << 20).groupAdd("audio");
        ContainerSpec spec = b.build();
        assertEquals(spec, ContainerSpec.fromJson(Json.parse(Json.write(spec.toJson()))));
        assertEquals(-500, spec.kernel().oomScoreAdj());
    }

    @Test
    void aSpecWithoutKernelOptionsWritesNoKernelKey() {
        ContainerSpec spec = ContainerSpec.builder("busybox").build();
        assertTrue(spec.kernel().isDefault());
        assertFalse(((java.util.Map<?, ?>) spec.toJson()).containsKey("kernel"));
    }
}
