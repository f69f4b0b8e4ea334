package dev.hutch.userns;

import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.SecurityOptions;
import dev.hutch.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserNamespaceModeTest {
    @Test
    void podmansSpellingsParse() {
        assertFalse(UserNamespaceMode.parse("host").isAuto());
        assertEquals(65536, UserNamespaceMode.parse("auto").size());
        assertEquals(4096, UserNamespaceMode.parse("auto:size=4096").size());
        assertEquals("auto:size=4096", UserNamespaceMode.parse("auto:size=4096").toString());
    }

    @Test
    void badValuesSayWhatIsAccepted() {
        for (String bad : new String[] {"", "keep-id", "auto:size=x", "auto:size=10", "auto:uidmapping=0:1:1", "nomap"}) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> UserNamespaceMode.parse(bad));
            assertTrue(e.getMessage().startsWith("--userns: \"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void theModeSurvivesTheJsonRoundTripAndHostIsTheDefault() {
        SecurityOptions s = SecurityOptions.builder().userns(UserNamespaceMode.parse("auto:size=2048")).build();
        assertFalse(s.isDefault());
        assertEquals(s, SecurityOptions.fromJson(dev.hutch.json.Json.parse(dev.hutch.json.Json.write(s.toJson()))));
        assertTrue(SecurityOptions.fromJson(null).userns().size() == 0);
        assertTrue(SecurityOptions.DEFAULT.isDefault());
    }

    @Test
    void kernelsBeforeIdmappedOverlayLayersGetCopies() {
        assertEquals(6, LayerCopies.version("6.18.44-fc-v782")[0]);
        assertEquals(18, LayerCopies.version("6.18.44-fc-v782")[1]);
        assertTrue(LayerCopies.needed(java.nio.file.Path.of("/"), "5.15.0-91-generic", dev.hutch.config.CallerEnvironment.empty()), "overlay takes idmapped layers since 5.19");
        assertTrue(LayerCopies.needed(java.nio.file.Path.of("/"), "garbage", dev.hutch.config.CallerEnvironment.empty()));
    }

    @Test
    void idMappingTranslatesBothWays() {
        IdMapping m = new IdMapping(1_000_013_824L, 65536);
        assertEquals(1_000_013_824L + 1000, m.toHost(1000));
        assertEquals(-1, m.toHost(65536));
        assertEquals(1000, m.toContainer(1_000_013_824L + 1000));
        assertEquals(-1, m.toContainer(0));
        assertEquals("0 1000013824 65536\n", m.mapLine());
        assertEquals(m, IdMapping.fromJson(m.toJson()));
    }
}
