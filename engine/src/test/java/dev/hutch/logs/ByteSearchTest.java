package dev.hutch.logs;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteSearchTest {

    /** Against the plain loop, on random arrays rich in the byte and its neighbours, at every offset. */
    @Test
    void findsWhatTheByteLoopFinds() {
        Random r = new Random(42);
        byte[] alphabet = {'\n', '"', '\\', 0, (byte) 0x80, (byte) 0xFF, 0x0B, 0x09, 'a', 0x01};
        for (int round = 0; round < 2000; round++) {
            byte[] a = new byte[r.nextInt(40)];
            for (int i = 0; i < a.length; i++) a[i] = r.nextInt(3) == 0 ? alphabet[r.nextInt(alphabet.length)] : (byte) r.nextInt(256);
            for (byte b : new byte[] {'\n', '"', '\\', 0, (byte) 0xFF}) {
                int from = a.length == 0 ? 0 : r.nextInt(a.length + 1), to = from + r.nextInt(a.length - from + 1);
                assertEquals(plain(a, from, to, b), ByteSearch.indexOf(a, from, to, b));
            }
        }
    }

    private static int plain(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) if (a[i] == b) return i;
        return -1;
    }
}
