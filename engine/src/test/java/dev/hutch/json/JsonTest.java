package dev.hutch.json;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\"\n\ttext \\ \u0001");
        m.put("n", 42L);
        m.put("d", 0.25);
        m.put("b", true);
        m.put("nil", null);
        m.put("list", List.of(1L, "two", List.of()));
        m.put("obj", Map.of("k", "v"));
        String text = Json.write(m);
        assertEquals(m, Json.parse(text));
        assertEquals(m, Json.parse(Json.pretty(m)));
    }

    @Test
    void parsesUnicodeEscapesAndExponents() {
        assertEquals("é☃", Json.parse("\"\\u00e9\\u2603\""));
        assertEquals(1.5e3, Json.parse("1.5e3"));
        assertEquals(-7L, Json.parse(" -7 "));
    }

    @Test
    void rejectsMalformedTextWithTheOffset() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": 1,}"));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertThrows(JsonException.class, () -> Json.parse("[1 2]"));
        assertThrows(JsonException.class, () -> Json.parse("\"open"));
        assertThrows(JsonException.class, () -> Json.parse("{} x"));
    }
}
