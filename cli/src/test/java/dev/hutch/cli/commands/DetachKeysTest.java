package dev.hutch.cli.commands;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** docker's --detach-keys syntax into the bytes the monitor (run -it) and attach match. Needs no root. */
class DetachKeysTest {
    @Test
    void keysBecomeTheBytesTyped() {
        assertArrayEquals(new byte[] {16, 17}, DetachKeys.parse(DetachKeys.DEFAULT).bytes());
        assertArrayEquals(new byte[] {24, 'y'}, DetachKeys.parse("ctrl-x,y").bytes());
        assertArrayEquals(new byte[] {0, 27, 28, 29, 30, 31}, DetachKeys.parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_").bytes());
    }

    @Test
    void badSequencesAreRefusedWithTheValue() {
        for (String bad : new String[] {"", ",", "ctrl-p,", "ctrl-1", "ctrl-pq", "ab"}) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> DetachKeys.parse(bad), bad);
            assertTrue(e.getMessage().contains("--detach-keys"), e.getMessage());
        }
        String tooLong = String.join(",", java.util.Collections.nCopies(DetachKeys.MAX + 1, "a"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> DetachKeys.parse(tooLong)).getMessage().contains("more than 32 keys"));
        assertEquals(DetachKeys.MAX, DetachKeys.parse(String.join(",", java.util.Collections.nCopies(DetachKeys.MAX, "a"))).bytes().length);
    }

    @Test
    void aPartialMatchIsPassedOnWhenItFails() {
        DetachKeys keys = DetachKeys.parse(DetachKeys.DEFAULT);
        java.io.ByteArrayOutputStream pass = new java.io.ByteArrayOutputStream();
        assertEquals(2, keys.feed(new byte[] {16, 'a'}, 2, pass));
        assertArrayEquals(new byte[] {16, 'a'}, pass.toByteArray());
        assertEquals(-1, keys.feed(new byte[] {16, 17}, 2, new java.io.ByteArrayOutputStream()));
    }
}
