package dev.hutch.cgroup;

import dev.hutch.cgroup.v2.DeviceProgram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The v2 device program run through an interpreter of the eBPF instructions it uses, on the
 * kernel's bpf_cgroup_dev_ctx: the same answers as v1's allow-list for the same rules.
 */
class DeviceProgramTest {
    static final int BLOCK = 1, CHAR = 2, MKNOD = 1, READ = 2, WRITE = 4;

    static long run(byte[] prog, int type, int access, int major, int minor) {
        long[] r = new long[11];
        int[] ctx = {type | access << 16, major, minor};
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int p = pc * 8;
            int code = prog[p] & 0xff, dst = prog[p + 1] & 0xf, src = (prog[p + 1] >> 4) & 0xf;
            int off = (short) ((prog[p + 2] & 0xff) | (prog[p + 3] & 0xff) << 8);
            long imm = (prog[p + 4] & 0xffL) | (prog[p + 5] & 0xffL) << 8 | (prog[p + 6] & 0xffL) << 16 | (long) prog[p + 7] << 24;
            pc++;
            switch (code) {
                case 0x61 -> r[dst] = ctx[off / 4] & 0xffffffffL;             // ldxw dst, [ctx + off]
                case 0x54 -> r[dst] = (r[dst] & imm) & 0xffffffffL;           // and32 dst, imm
                case 0x74 -> r[dst] = (r[dst] & 0xffffffffL) >>> imm;         // rsh32 dst, imm
                case 0xbc -> r[dst] = r[src] & 0xffffffffL;                   // mov32 dst, src
                case 0xb7 -> r[dst] = imm;                                    // mov64 dst, imm
                case 0x55 -> { if (r[dst] != imm) pc += off; }               // jne dst, imm
                case 0x5d -> { if (r[dst] != r[src]) pc += off; }            // jne dst, src
                case 0x95 -> { return r[0]; }                                 // exit
                default -> throw new AssertionError("unexpected opcode " + code);
            }
        }
        throw new AssertionError("no exit");
    }

    @Test
    void dockersDefaultsAllowTheStandardNodesAndMknodOnly() {
        byte[] p = DeviceProgram.compile(DeviceRule.DEFAULTS);
        assertEquals(1, run(p, CHAR, READ | WRITE, 1, 3), "/dev/null");
        assertEquals(1, run(p, CHAR, READ | WRITE, 136, 7), "/dev/pts/7");
        assertEquals(1, run(p, CHAR, READ, 10, 200), "/dev/net/tun");
        assertEquals(1, run(p, BLOCK, MKNOD, 8, 0), "mknod of a disk node is allowed");
        assertEquals(0, run(p, BLOCK, READ, 8, 0), "opening it is not");
        assertEquals(0, run(p, BLOCK, READ | WRITE, 254, 0));
        assertEquals(0, run(p, CHAR, READ, 1, 1), "/dev/mem");
        assertEquals(0, run(p, CHAR, READ, 1, 11), "/dev/kmsg");
        assertEquals(0, run(p, CHAR, MKNOD | READ, 10, 229), "mknod and read at once needs both");
    }

    @Test
    void accessIsASubsetCheckAndWildcardsMatchAnything() {
        byte[] p = DeviceProgram.compile(List.of(new DeviceRule('b', 8, 16, "r"), new DeviceRule('c', 4, -1, "rw")));
        assertEquals(1, run(p, BLOCK, READ, 8, 16));
        assertEquals(0, run(p, BLOCK, WRITE, 8, 16));
        assertEquals(0, run(p, BLOCK, READ | WRITE, 8, 16));
        assertEquals(0, run(p, CHAR, READ, 8, 16), "type matters");
        assertEquals(1, run(p, CHAR, READ | WRITE, 4, 63));
        assertEquals(0, run(p, CHAR, MKNOD, 4, 63));
        byte[] all = DeviceProgram.compile(List.of(DeviceRule.ALL));
        assertEquals(1, run(all, BLOCK, READ | WRITE | MKNOD, 254, 0));
    }

    @Test
    void v1LinesSayTheSame() {
        assertEquals("c 1:3 rwm", DeviceRule.DEFAULTS.get(2).toV1());
        assertEquals("c *:* m", DeviceRule.DEFAULTS.get(0).toV1());
        assertEquals("c 136:* rwm", new DeviceRule('c', 136, -1, "rwm").toV1());
        assertEquals("a", DeviceRule.ALL.toV1());
    }
}
