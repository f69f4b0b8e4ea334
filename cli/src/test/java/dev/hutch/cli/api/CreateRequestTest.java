package dev.hutch.cli.api;

import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import dev.hutch.spec.Mount;
import dev.hutch.state.ContainerStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's create body to hutch's spec, the ps filters and the status words, without root. */
class CreateRequestTest {
    @Test
    void mapsConfigAndHostConfigToTheSpec() {
        ContainerSpec s = CreateRequest.toSpec("/web", """
                {"Image":"busybox","Cmd":["sleep","30"],"Env":["A=1"],"WorkingDir":"/tmp","Labels":{"k":"v"},
                 "HostConfig":{"Memory":67108864,"NanoCpus":500000000,"PidsLimit":64,"Binds":["/srv:/data:ro","vol:/v"],
                   "AutoRemove":true,"NetworkMode":"none","RestartPolicy":{"Name":"no","MaximumRetryCount":0},
                   "MemorySwappiness":-1,"ConsoleSize":[0,0],"Privileged":false,"PortBindings":{}}}""");
        assertEquals("web", s.name());
        assertEquals("busybox", s.image());
        assertEquals(List.of("sleep", "30"), s.process().command());
        assertEquals(List.of("A=1"), s.process().env());
        assertEquals("/tmp", s.process().workdir());
        assertEquals(Map.of("k", "v"), s.labels());
        assertEquals(64L << 20, s.resources().memory());
        assertEquals(0.5, s.resources().cpus());
        assertEquals(64L, s.resources().pidsLimit());
        assertEquals(List.of(Mount.bind("/srv", "/data", true), Mount.volume("vol", "/v", false)), s.mounts());
        assertTrue(s.autoRemove());
        assertEquals("none", s.primaryNetwork().network());
    }

    @Test
    void refusesWhatItWouldOtherwiseIgnore() {
        ApiError e = assertThrows(ApiError.class, () -> CreateRequest.toSpec(null,
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true,\"CapAdd\":[\"NET_ADMIN\"]}}"));
        assertEquals(400, e.status);
        assertTrue(e.getMessage().startsWith("HostConfig CapAdd, Privileged: not supported"), e.getMessage());
        assertEquals(400, assertThrows(ApiError.class, () -> CreateRequest.toSpec(null, "{\"Cmd\":[\"true\"]}")).status);
        assertEquals(400, assertThrows(ApiError.class, () -> CreateRequest.toSpec(null, "not json")).status);
        assertEquals(400, assertThrows(ApiError.class, () -> CreateRequest.toSpec(null,
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"relative:/x:zz\"]}}")).status);
        assertEquals(400, assertThrows(ApiError.class, () -> CreateRequest.toSpec(null,
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":-5}}")).status);
    }

    @Test
    void portBindingsAndPublishAllBecomePortMappings() {
        String body = "{\"Image\":\"busybox\",\"ExposedPorts\":{\"80/tcp\":{},\"7070/tcp\":{}},\"HostConfig\":{\"PublishAllPorts\":true,"
                + "\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],\"53/udp\":[{\"HostPort\":\"5353\"}]}}}";
        ContainerSpec s = CreateRequest.publishAll(CreateRequest.toSpec(null, body), body, List.of("9000/tcp", "80/tcp"));
        assertEquals(List.of(new PortMapping("127.0.0.1", 0, 80, "tcp"), new PortMapping("", 5353, 53, "udp"),
                new PortMapping("", 0, 7070, "tcp"), new PortMapping("", 0, 9000, "tcp")), s.ports(),
                "bound ports as given (an empty host port: a free one), then each exposed port without a binding once");
        ApiError range = assertThrows(ApiError.class, () -> CreateRequest.toSpec(null,
                "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8000-8010\"}]}}}"));
        assertEquals(400, range.status);
        assertTrue(range.getMessage().contains("\"8000-8010\""), range.getMessage());
        assertEquals(400, assertThrows(ApiError.class, () -> CreateRequest.toSpec(null,
                "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/sctp\":[{\"HostPort\":\"80\"}]}}}")).status);
        assertEquals(Map.of("80/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "0"))),
                PortBindings.settings(List.of(new PortMapping("127.0.0.1", 0, 80, "tcp"))));
    }

    @Test
    void aUserNetworkTakesItsAliasesAndAddressAndOpenStdinIsInteractive() {
        ContainerSpec s = CreateRequest.toSpec(null, "{\"Image\":\"busybox\",\"OpenStdin\":true,\"HostConfig\":{\"NetworkMode\":\"front\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"front\":{\"Aliases\":[\"web\"],\"IPAMConfig\":{\"IPv4Address\":\"10.9.0.5\"}}}}}");
        assertEquals(new NetworkAttachment("front", List.of("web"), "10.9.0.5"), s.primaryNetwork());
        assertTrue(s.process().interactive());
        ContainerSpec six = CreateRequest.toSpec(null, "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"front\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"front\":{\"IPAMConfig\":{\"IPv6Address\":\"fd68::5\"}}}}}");
        assertEquals(new NetworkAttachment("front", List.of(), null, null, "fd68::5"), six.primaryNetwork(), "docker run --ip6");
        assertEquals("container:abc", CreateRequest.toSpec(null, "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"container:abc\"}}")
                .primaryNetwork().network());
    }

    static ContainerShapes.View view(String name, ContainerStatus status, Map<String, String> labels) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").name(name);
        labels.forEach(b::label);
        return new ContainerShapes.View("abcdef" + name, name, b.build(), "sha256:1", List.of("true"), status, 0,
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(5), 0, false, null, "h", null, null, 0, null);
    }

    @Test
    void statusWordsAreDockers() {
        Instant t = Instant.EPOCH.plusSeconds(5);
        assertEquals("Exited (0) 2 minutes ago", ContainerShapes.statusText(view("x", ContainerStatus.EXITED, Map.of()), t.plusSeconds(125)));
        assertEquals("Up About an hour", ContainerShapes.statusText(view("x", ContainerStatus.RUNNING, Map.of()), Instant.EPOCH.plusSeconds(3700)));
        assertEquals("Created", ContainerShapes.statusText(view("x", ContainerStatus.CREATED, Map.of()), t));
        assertEquals("busybox:latest", ContainerEndpoints.withDefaultTag("busybox"));
        assertEquals("localhost:5000/a:1", ContainerEndpoints.withDefaultTag("localhost:5000/a:1"));
        assertEquals("localhost:5000/a:latest", ContainerEndpoints.withDefaultTag("localhost:5000/a"));
    }

    @Test
    void mapsNamespaceModesVolumesFromAndDeviceIoLimits() {
        ContainerSpec s = CreateRequest.toSpec(null, """
                {"Image":"busybox","HostConfig":{"IpcMode":"container:db","PidMode":"host","UTSMode":"","CgroupnsMode":"host",
                   "VolumesFrom":["db:ro"],"BlkioDeviceReadIOps":[{"Path":"/dev/vda","Rate":1000}],
                   "BlkioDeviceWriteIOps":[{"Path":"/dev/vda","Rate":500}],"BlkioWeightDevice":[{"Path":"/dev/vda","Weight":200}]}}""");
        assertEquals(new dev.hutch.spec.NamespaceSharing("container:db", "host", null, "host"), s.namespaces());
        assertEquals(List.of("db:ro"), s.volumesFrom());
        assertEquals(List.of(new dev.hutch.spec.Resources.DeviceIops("/dev/vda", 1000)), s.resources().deviceReadIops());
        assertEquals(List.of(new dev.hutch.spec.Resources.DeviceIops("/dev/vda", 500)), s.resources().deviceWriteIops());
        assertEquals(List.of(new dev.hutch.spec.Resources.DeviceWeight("/dev/vda", 200)), s.resources().blkioWeightDevice());
        assertThrows(RuntimeException.class, () -> CreateRequest.toSpec(null,
                "{\"Image\":\"busybox\",\"HostConfig\":{\"BlkioWeightDevice\":[{\"Weight\":200}]}}"));
    }
}
