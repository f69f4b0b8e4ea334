package dev.hutch.registry;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Docker's reference rules, as the registry client and the image store must agree on them. */
class ReferenceTest {
    static final String HEX = "a".repeat(64);

    @Test
    void shortNamesAreDockerHubsLibrary() {
        Reference r = Reference.parse("alpine");
        assertEquals(new Reference("docker.io", "library/alpine", "latest", null), r);
        assertEquals("alpine:latest", r.localTag());
        assertEquals("docker.io/library/alpine:latest", r.full());
        assertEquals("registry-1.docker.io", r.apiHost());
        assertEquals("org/app:1", Reference.parse("org/app:1").localTag());
        assertEquals("nginx:1.27", Reference.parse("docker.io/library/nginx:1.27").localTag());
    }

    @Test
    void aFirstComponentWithDotColonOrLocalhostIsARegistry() {
        Reference r = Reference.parse("127.0.0.1:5000/some/image:tag");
        assertEquals("127.0.0.1:5000", r.registry());
        assertEquals("some/image", r.repository());
        assertEquals("tag", r.tag());
        assertEquals("127.0.0.1:5000/some/image:tag", r.localTag());
        assertEquals("localhost", Reference.parse("localhost/app").registry());
        assertEquals("latest", Reference.parse("localhost:5000/app").tag(), "the port is not a tag");
        assertEquals("ghcr.io", Reference.parse("ghcr.io/org/app").registry());
        assertEquals("docker.io", Reference.parse("org/app").registry());
    }

    @Test
    void digestsWinOverTagsAndStayUntagged() {
        Reference r = Reference.parse("alpine@sha256:" + HEX);
        assertNull(r.tag());
        assertNull(r.localTag());
        assertEquals("sha256:" + HEX, r.manifestReference());
        Reference both = Reference.parse("reg.io:443/app:1@sha256:" + HEX);
        assertEquals("1", both.tag());
        assertEquals("sha256:" + HEX, both.manifestReference());
        assertEquals("reg.io:443/app:1@sha256:" + HEX, both.full());
    }

    @Test
    void badReferencesAreRefusedWithTheValue() {
        for (String bad : new String[]{"Alpine", "alpine@sha256:xyz", "alpine@md5:" + HEX, "app:bad/tag", "a:" + "t".repeat(200)}) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Reference.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.length() > 50 ? bad.substring(0, 10) : bad), e.getMessage());
        }
    }
}
