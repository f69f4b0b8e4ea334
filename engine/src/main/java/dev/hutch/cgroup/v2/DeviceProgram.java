package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.DeviceRule;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The cgroup v2 device rules: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE, the way runc
 * and crun express the v1 allow-list on v2. The kernel calls it with a {@code bpf_cgroup_dev_ctx}
 * (u32 access_type = type | access << 16, u32 major, u32 minor) for every device open and mknod in
 * the cgroup; it returns 1 to allow, 0 to deny. Rules are tried in order, the first match allows,
 * nothing matching denies.
 */
public final class DeviceProgram {
    private DeviceProgram() {}

    // eBPF opcodes (linux/bpf_common.h, linux/bpf.h)
    private static final int LDX_W = 0x61, ALU32_AND_K = 0x54, ALU32_RSH_K = 0x74, ALU32_MOV_X = 0xbc,
            ALU64_MOV_K = 0xb7, JNE_K = 0x55, JNE_X = 0x5d, EXIT = 0x95;
    private static final int DEV_BLOCK = 1, DEV_CHAR = 2, ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4;
    // registers: r1 ctx, r2 type, r3 access, r4 major, r5 minor (r1 reused as scratch once loaded)
    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /** The program, struct bpf_insn[] in native (little-endian) byte order. */
    public static byte[] compile(List<DeviceRule> rules) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        insn(out, LDX_W, R2, R1, 0, 0);
        insn(out, ALU32_AND_K, R2, 0, 0, 0xffff);
        insn(out, LDX_W, R3, R1, 0, 0);
        insn(out, ALU32_RSH_K, R3, 0, 0, 16);
        insn(out, LDX_W, R4, R1, 4, 0);
        insn(out, LDX_W, R5, R1, 8, 0);
        for (DeviceRule r : rules) {
            int access = access(r.access());
            boolean anyAccess = access == (ACC_MKNOD | ACC_READ | ACC_WRITE);
            // each test jumps over the rest of this rule's block when it fails
            int len = (r.type() == 'a' ? 0 : 1) + (anyAccess ? 0 : 3) + (r.major() < 0 ? 0 : 1) + (r.minor() < 0 ? 0 : 1) + 2;
            int left = len;
            if (r.type() != 'a') insn(out, JNE_K, R2, 0, --left, r.type() == 'b' ? DEV_BLOCK : DEV_CHAR);
            if (!anyAccess) {
                // allowed only if every requested access bit is in the rule: (access & rule) == access
                insn(out, ALU32_MOV_X, R1, R3, 0, 0);
                left--;
                insn(out, ALU32_AND_K, R1, 0, 0, access);
                left--;
                insn(out, JNE_X, R1, R3, --left, 0);
            }
            if (r.major() >= 0) insn(out, JNE_K, R4, 0, --left, (int) r.major());
            if (r.minor() >= 0) insn(out, JNE_K, R5, 0, --left, (int) r.minor());
            insn(out, ALU64_MOV_K, R0, 0, 0, 1);
            insn(out, EXIT, 0, 0, 0, 0);
        }
        insn(out, ALU64_MOV_K, R0, 0, 0, 0);
        insn(out, EXIT, 0, 0, 0, 0);
        return out.toByteArray();
    }

    static int access(String s) {
        int a = 0;
        for (char c : s.toCharArray()) a |= c == 'r' ? ACC_READ : c == 'w' ? ACC_WRITE : c == 'm' ? ACC_MKNOD : 0;
        return a;
    }

    private static void insn(ByteArrayOutputStream out, int code, int dst, int src, int off, int imm) {
        out.write(code);
        out.write((src << 4) | dst);
        out.write(off & 0xff);
        out.write((off >> 8) & 0xff);
        for (int b = 0; b < 4; b++) out.write(imm >>> (8 * b));
    }
}
