package dev.hutch.engine;

import dev.hutch.HutchException;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.NetworkAttachment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/** The spec changes of connect and disconnect of a container that does not run. */
class RecordedNetworksTest {
    /** "n" stands for the network whose id is "0123abcd"; anything else is its own name. */
    static final UnaryOperator<String> NAMES = ref -> ref.equals("0123abcd") ? "n" : ref;

    @Test
    void connectKeepsTheImplicitDefaultBridgeAndRecordsAliasesAndAddresses() {
        ContainerSpec spec = ContainerSpec.builder("busybox").build();
        ContainerSpec after = RecordedNetworks.connect(spec, "a",
                new NetworkAttachment("0123abcd", List.of("x"), "10.1.2.3", null, "fd00::3"), NAMES);
        assertEquals(List.of(NetworkAttachment.of("bridge"), new NetworkAttachment("n", List.of("x"), "10.1.2.3", null, "fd00::3")),
                after.networks());
        HutchException twice = assertThrows(HutchException.class,
                () -> RecordedNetworks.connect(after, "a", NetworkAttachment.of("n"), NAMES));
        assertEquals("endpoint with name a already exists in network n", twice.getMessage());
    }

    @Test
    void aContainerWithoutItsOwnNetworkIsNotConnected() {
        ContainerSpec none = ContainerSpec.builder("busybox").network("none").build();
        assertThrows(HutchException.class, () -> RecordedNetworks.connect(none, "a", NetworkAttachment.of("n"), NAMES));
        ContainerSpec host = ContainerSpec.builder("busybox").network("host").build();
        assertThrows(HutchException.class, () -> RecordedNetworks.connect(host, "a", NetworkAttachment.of("n"), NAMES));
    }

    @Test
    void disconnectRemovesTheEndpointAndTheLastOneLeavesNone() {
        ContainerSpec two = ContainerSpec.builder("busybox").network("bridge").network("n").build();
        ContainerSpec one = RecordedNetworks.disconnect(two, "a", "0123abcd", NAMES);
        assertEquals(List.of(NetworkAttachment.of("bridge")), one.networks());
        assertEquals(List.of(NetworkAttachment.of("none")), RecordedNetworks.disconnect(one, "a", "bridge", NAMES).networks(),
                "not the default bridge again, which an empty list would mean");
        assertEquals(List.of(NetworkAttachment.of("none")),
                RecordedNetworks.disconnect(ContainerSpec.builder("busybox").build(), "a", "bridge", NAMES).networks());
        HutchException absent = assertThrows(HutchException.class, () -> RecordedNetworks.disconnect(one, "a", "n", NAMES));
        assertEquals("container a is not connected to network n", absent.getMessage());
    }

    @Test
    void theNetworkThatCarriesThePublishedPortsStays() {
        ContainerSpec published = ContainerSpec.builder("busybox").network("n").network("m")
                .port(dev.hutch.spec.PortMapping.parse("8080:80")).build();
        HutchException refused = assertThrows(HutchException.class, () -> RecordedNetworks.disconnect(published, "a", "n", NAMES));
        assertTrue(refused.getMessage().contains("publishes ports on network n"), refused.getMessage());
        assertEquals(List.of(NetworkAttachment.of("n")), RecordedNetworks.disconnect(published, "a", "m", NAMES).networks());
    }
}
