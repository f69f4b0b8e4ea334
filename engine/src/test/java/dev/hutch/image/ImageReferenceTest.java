package dev.hutch.image;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageReferenceTest {
    @Test
    void addsLatestAndKeepsTags() {
        assertEquals("busybox:latest", ImageReference.normalize("busybox"));
        assertEquals("busybox:1.36", ImageReference.normalize("busybox:1.36"));
        assertEquals("busybox:latest", ImageReference.normalize("docker.io/library/busybox"));
        assertEquals("localhost:5000/app:latest", ImageReference.normalize("localhost:5000/app"));
        assertEquals("me/app:v1", ImageReference.normalize("me/app:v1"));
    }

    @Test
    void refusesNonsense() {
        assertThrows(InvalidSpecException.class, () -> ImageReference.normalize("Busy Box"));
        assertThrows(InvalidSpecException.class, () -> ImageReference.normalize("app:bad tag"));
        assertNull(ImageReference.normalizeOrNull("UPPER"));
    }

    @Test
    void idHexAcceptsPrefixesOnly() {
        assertEquals("abc123", ImageReference.idHex("sha256:abc123"));
        assertEquals("abc123", ImageReference.idHex("abc123"));
        assertNull(ImageReference.idHex("busybox"));
    }
}
