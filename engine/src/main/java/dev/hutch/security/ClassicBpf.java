package dev.hutch.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny assembler for classic BPF (the seccomp filter language): instructions with symbolic
 * labels, resolved to offsets at the end. Conditional jumps reach at most 255 instructions ahead
 * (the format's 8-bit offsets), so callers keep them local and use {@link #jump} (32-bit) for
 * anything far; a conditional jump that cannot reach is a bug here, reported as such.
 */
final class ClassicBpf {
    // opcodes (linux/filter.h): class | size/op | source
    static final int LD_W_ABS = 0x20, ALU_AND_K = 0x54, JMP_JA = 0x05, JMP_JEQ_K = 0x15, JMP_JGT_K = 0x25,
            JMP_JGE_K = 0x35, RET_K = 0x06;

    private record Insn(int code, String jt, String jf, long k, String target) {}

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private int nextLabel;

    /** A fresh label name. */
    String label() { return "L" + nextLabel++; }

    /** Places a label at the next instruction. */
    ClassicBpf here(String label) {
        if (labels.putIfAbsent(label, insns.size()) != null) throw new IllegalStateException("label placed twice: " + label);
        return this;
    }

    ClassicBpf load(int offset) { insns.add(new Insn(LD_W_ABS, null, null, offset, null)); return this; }

    ClassicBpf and(long k) { insns.add(new Insn(ALU_AND_K, null, null, k, null)); return this; }

    ClassicBpf ret(long k) { insns.add(new Insn(RET_K, null, null, k, null)); return this; }

    ClassicBpf jump(String target) { insns.add(new Insn(JMP_JA, null, null, 0, target)); return this; }

    /** if (A op k) goto jt else goto jf; a null label means the next instruction. */
    ClassicBpf jumpIf(int op, long k, String jt, String jf) { insns.add(new Insn(op, jt, jf, k, null)); return this; }

    int size() { return insns.size(); }

    /** The program as struct sock_filter[] in native (little-endian) byte order. */
    byte[] assemble() {
        byte[] out = new byte[insns.size() * 8];
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            long k = in.k();
            int jt = 0, jf = 0;
            if (in.code() == JMP_JA) k = offset(i, in.target(), Integer.MAX_VALUE);
            else if ((in.code() & 0x07) == 0x05) {
                jt = offset(i, in.jt(), 255);
                jf = offset(i, in.jf(), 255);
            }
            int p = i * 8;
            out[p] = (byte) in.code();
            out[p + 1] = (byte) (in.code() >> 8);
            out[p + 2] = (byte) jt;
            out[p + 3] = (byte) jf;
            for (int b = 0; b < 4; b++) out[p + 4 + b] = (byte) (k >>> (8 * b));
        }
        return out;
    }

    private int offset(int from, String label, int max) {
        if (label == null) return 0;
        Integer to = labels.get(label);
        if (to == null) throw new IllegalStateException("label never placed: " + label);
        int off = to - from - 1;
        if (off < 0 || off > max) throw new IllegalStateException("jump from " + from + " to " + label + " out of range: " + off);
        return off;
    }
}
