package dev.hutch.cli.filter;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How filters are read (both forms of the API's JSON, the CLI's KEY=VALUE) and docker's reference glob; no root needed. */
class FilterArgsTest {
    @Test
    void theApisTwoFormsAndTheCommandLineReadAlike() {
        Map<String, List<String>> want = Map.of("status", List.of("exited"), "label", List.of("a=b"));
        assertEquals(want, FilterArgs.fromJson("{\"status\":{\"exited\":true},\"label\":{\"a=b\":true}}").byKey());
        assertEquals(want, FilterArgs.fromJson("{\"status\":[\"exited\"],\"label\":[\"a=b\"]}").byKey());
        assertEquals(want, FilterArgs.fromFlags(List.of("status=exited", " Label =a=b")).byKey());
        assertEquals(Map.of(), FilterArgs.fromJson("").byKey());
        assertTrue(assertThrows(BadFilterException.class, () -> FilterArgs.fromFlags(List.of("running"))).getMessage()
                .startsWith("bad format of filter (expected name=value)"));
        assertThrows(BadFilterException.class, () -> FilterArgs.fromJson("[1]"));
    }

    @Test
    void keysAndValuesAreCheckedBeforeAnythingIsListed() {
        assertEquals("invalid filter 'colour' (use ancestor, before, exited, expose, health, id, label, name, network, publish, since, status, volume)",
                assertThrows(BadFilterException.class, () -> new ContainerFilter(FilterArgs.fromFlags(List.of("colour=red")))).getMessage());
        for (String bad : List.of("status=sleepy", "exited=x", "publish=80x", "expose=9-1", "publish=80/icmp", "health=ill", "name=("))
            assertTrue(assertThrows(BadFilterException.class, () -> new ContainerFilter(FilterArgs.fromFlags(List.of(bad)))).getMessage()
                    .startsWith("invalid filter '" + bad + "'"), bad);
        assertThrows(BadFilterException.class, () -> new ImageFilter(FilterArgs.fromFlags(List.of("dangling=1"))));
        assertThrows(BadFilterException.class, () -> new ImageFilter(FilterArgs.fromFlags(List.of("status=exited"))));
    }

    @Test
    void referenceIsGosPathMatch() {
        assertTrue(ImageFilter.glob("busy*").matcher("busybox").matches());
        assertFalse(ImageFilter.glob("*").matcher("library/busybox").matches(), "* stops at /");
        assertTrue(ImageFilter.glob("*/busybox:*").matcher("library/busybox:1.36").matches());
        assertTrue(ImageFilter.glob("web:v?").matcher("web:v2").matches());
        assertTrue(ImageFilter.glob("web:[0-9]").matcher("web:3").matches());
        assertFalse(ImageFilter.glob("web:[^0-9]").matcher("web:3").matches());
        assertTrue(ImageFilter.glob("a.b+c").matcher("a.b+c").matches() && !ImageFilter.glob("a.b").matcher("axb").matches(), "no regex meaning leaks");
    }
}
