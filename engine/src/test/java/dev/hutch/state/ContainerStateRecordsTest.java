package dev.hutch.state;

import dev.hutch.json.Json;
import dev.hutch.layer.RootfsRecord;
import dev.hutch.net.Endpoint;
import dev.hutch.net.NetworkRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rootfs and network parts of a container's record are typed, but config.json keeps the shape
 * that earlier hutch versions wrote, both ways: an old record reads, and a record written now
 * reads back equal and stores the same maps an old reader expects.
 */
class ContainerStateRecordsTest {

    private static Map<String, Object> fixture(String name) throws IOException {
        try (InputStream in = ContainerStateRecordsTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRunningBridgedRecordInTheOldShapeReadsAsTypedRecords() throws IOException {
        Map<String, Object> old = fixture("config-bridge-before-typed-records.json");
        ContainerState s = ContainerState.fromJson(old);

        RootfsRecord rootfs = s.rootfs();
        assertEquals("overlay", rootfs.driver());
        assertEquals(Path.of("/var/lib/hutch/containers/3f5e/upper"), rootfs.upperDir());
        assertEquals(Path.of("/var/lib/hutch/containers/3f5e/work"), rootfs.workDir());
        assertEquals(Path.of("/var/lib/hutch/containers/3f5e/merged"), rootfs.rootfs());
        assertEquals(List.of(Path.of("/var/lib/hutch/layers/aa11/diff"), Path.of("/var/lib/hutch/layers/bb22/diff")),
                rootfs.lowerDirs());
        assertFalse(rootfs.isEmpty());

        NetworkRecord net = s.network();
        assertEquals(NetworkRecord.BRIDGE, net.mode());
        assertEquals("web", net.name());
        assertTrue(net.published());
        assertEquals("/var/run/netns/hutch-web", net.netnsFile());
        assertEquals(1, net.endpoints().size());
        Endpoint e = net.endpoints().get(0);
        assertEquals("10.199.0.7", e.ip());
        assertEquals(16, e.prefixLength());
        assertEquals("hv3f5e0c1b2a0", e.hostVeth());
        assertEquals(List.of("web"), e.aliases());
        assertEquals(8080, net.ports().get(0).hostPort());
        assertEquals(80, net.ports().get(0).containerPort());
        assertFalse(net.isEmpty());
    }

    @Test
    void writingItBackKeepsTheStoredShape() throws IOException {
        Map<String, Object> old = fixture("config-bridge-before-typed-records.json");
        ContainerState s = ContainerState.fromJson(old);
        @SuppressWarnings("unchecked")
        Map<String, Object> written = (Map<String, Object>) Json.parse(Json.write(s.toJson()));
        assertEquals(old.get("rootfs"), written.get("rootfs"), "rootfs is stored as before");
        assertEquals(old.get("network"), written.get("network"), "network is stored as before");
        assertEquals(s, ContainerState.fromJson(written), "and reads back equal");
    }

    @Test
    void aRecordKilledBeforeTheRootfsAndNetworkStepsHasEmptyOnes() throws IOException {
        Map<String, Object> old = fixture("config-killed-at-name-step.json");
        ContainerState s = ContainerState.fromJson(old);
        assertSame(RootfsRecord.EMPTY, s.rootfs());
        assertSame(NetworkRecord.EMPTY, s.network());
        assertTrue(s.rootfs().isEmpty() && s.network().isEmpty());
        @SuppressWarnings("unchecked")
        Map<String, Object> written = (Map<String, Object>) Json.parse(Json.write(s.toJson()));
        assertEquals(Map.of(), written.get("rootfs"), "still stored as {}");
        assertEquals(Map.of(), written.get("network"), "still stored as {}");
    }

    @Test
    void aRecordWithoutTheKeysAtAllReadsToo() throws IOException {
        Map<String, Object> old = new java.util.LinkedHashMap<>(fixture("config-killed-at-name-step.json"));
        old.remove("rootfs");
        old.remove("network");
        ContainerState s = ContainerState.fromJson(old);
        assertTrue(s.rootfs().isEmpty());
        assertTrue(s.network().isEmpty());
    }
}
