package dev.hutch.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles a {@link SeccompProfile} for one container (its capabilities, this architecture, this
 * kernel) into a classic BPF seccomp filter, pure Java, no libseccomp.
 *
 * <p>Shape of the filter:
 * <ol>
 *   <li>the architecture check: the native one, and each architecture the profile covers
 *       ({@link SeccompProfile#architecturesFor}: docker's default adds i386 and x32 on x86_64),
 *       goes to its own section, compiled with that architecture's syscall numbers; any other
 *       is killed (KILL_THREAD, libseccomp's default bad-arch action, which runc keeps): a
 *       profile's rules name syscalls, and a number of another table would bypass them;</li>
 *   <li>on x86_64, x32 calls (numbers with the x32 bit) go to the x32 section, or are killed
 *       likewise when the profile does not cover x32;</li>
 *   <li>in each section, a binary search over the syscall number, in ranges of numbers that share
 *       an outcome, about 8 comparisons deep for docker's default profile rather than a linear
 *       scan of 300;</li>
 *   <li>a syscall with argument rules gets its own small block: each rule's conditions in profile
 *       order (all must hold), the first rule that matches decides, else the rule without
 *       conditions, else the default action.</li>
 * </ol>
 * 64-bit argument comparisons are made on the two 32-bit halves, high half first. On i386 the
 * arguments are 32-bit registers, so only the low half is looked at (the kernel's high half is
 * whatever the caller's register held), as libseccomp does for 32-bit architectures.
 *
 * <p>Which rules apply is decided once, for the native architecture (docker matches a rule's
 * {@code includes.arches} against the machine's own architecture, not the sub-architecture); each
 * section then takes the names its own table has (socketcall and ipc exist only on i386, and
 * docker's default allows both; arch_prctl is allowed on i386 too, as in docker).
 */
public final class SeccompCompiler {
    private SeccompCompiler() {}

    private static final int OFF_NR = 0, OFF_ARCH = 4, OFF_ARGS = 16;

    /** What a call from an architecture the filter does not cover gets: libseccomp's default bad-arch action. */
    static final long BAD_ARCH = SeccompProfile.Action.KILL_THREAD;

    /** One syscall's rules after includes/excludes: conditional entries in order, then the plain one. */
    private record Entry(List<SeccompProfile.Arg> args, long ret) {}

    /**
     * @param caps          the container's capabilities, as {@code CAP_SYS_ADMIN}
     * @param arch          the native architecture
     * @param kernelRelease {@code uname -r}, for includes.minKernel
     * @return the filter, struct sock_filter[] in native byte order
     */
    public static byte[] compile(SeccompProfile profile, Set<String> caps, SyscallArch arch, String kernelRelease) {
        long dflt = profile.defaultAction().ret();
        List<SeccompProfile.Rule> rules = new ArrayList<>();
        for (SeccompProfile.Rule r : profile.rules()) if (applies(r, caps, arch, kernelRelease)) rules.add(r);
        SyscallArch i386 = null, x32 = null;
        for (SyscallArch a : profile.architecturesFor(arch)) {
            if (a.name().equals("i386")) i386 = a;
            if (a.isX32()) x32 = a;
        }

        ClassicBpf p = new ClassicBpf();
        String nativeSection = p.label(), i386Section = p.label();
        p.load(OFF_ARCH).jumpIf(ClassicBpf.JMP_JEQ_K, arch.auditArch(), nativeSection, null);
        if (i386 != null) {
            String other = p.label();
            p.jumpIf(ClassicBpf.JMP_JEQ_K, i386.auditArch(), null, other).jump(i386Section).here(other);
        }
        p.ret(BAD_ARCH);

        p.here(nativeSection).load(OFF_NR);
        if (arch.name().equals("x86_64")) {
            String native64 = p.label(), x32Section = p.label();
            p.jumpIf(ClassicBpf.JMP_JGE_K, SyscallArch.X32_BIT, null, native64);
            if (x32 != null) p.jump(x32Section);
            else p.ret(BAD_ARCH);
            p.here(native64);
            emitSection(p, rules, arch, dflt);
            if (x32 != null) {
                p.here(x32Section);
                emitSection(p, rules, x32, dflt);
            }
        } else {
            emitSection(p, rules, arch, dflt);
        }
        if (i386 != null) {
            p.here(i386Section).load(OFF_NR);
            emitSection(p, rules, i386, dflt);
        }
        return p.assemble();
    }

    /** The tree for one architecture's numbers, the syscall number in A. */
    private static void emitSection(ClassicBpf p, List<SeccompProfile.Rule> rules, SyscallArch arch, long dflt) {
        TreeMap<Integer, List<Entry>> bySyscall = new TreeMap<>();
        for (SeccompProfile.Rule r : rules) {
            for (String name : r.names()) {
                Integer nr = arch.syscalls().get(name);
                if (nr == null) continue; // not a syscall of this architecture (chown32 on x86_64, ...), as docker does
                // no lambda here: this runs on every `run`, and a cold JVM pays for each call site
                List<Entry> entries = bySyscall.get(nr);
                if (entries == null) bySyscall.put(nr, entries = new ArrayList<>());
                entries.add(new Entry(r.args(), r.action().ret()));
            }
        }
        emitTree(p, ranges(bySyscall, dflt), dflt, arch.wide());
    }

    static boolean applies(SeccompProfile.Rule r, Set<String> caps, SyscallArch arch, String kernelRelease) {
        if (!r.includeArches().isEmpty() && !r.includeArches().contains(arch.dockerName())) return false;
        if (r.excludeArches().contains(arch.dockerName())) return false;
        if (!caps.containsAll(r.includeCaps())) return false;
        for (String c : r.excludeCaps()) if (caps.contains(c)) return false;
        return r.minKernel() == null || compareVersions(kernelRelease, r.minKernel()) >= 0;
    }

    /** "6.1.0-18-amd64" vs "4.8": numeric, dot by dot, up to the first character that is neither. */
    static int compareVersions(String a, String b) {
        int[] x = version(a), y = version(b);
        for (int i = 0; i < 3; i++) if (x[i] != y[i]) return Integer.compare(x[i], y[i]);
        return 0;
    }

    private static int[] version(String s) {
        int[] v = new int[3];
        int part = 0;
        for (int i = 0; i < s.length() && part < 3; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') v[part] = v[part] * 10 + (c - '0');
            else if (c == '.') part++;
            else break;
        }
        return v;
    }

    /** A run of syscall numbers from {@code start} with one outcome: a plain return, or a block of rules. */
    private record Range(int start, long ret, List<Entry> block) {}

    private static List<Range> ranges(TreeMap<Integer, List<Entry>> bySyscall, long dflt) {
        List<Range> out = new ArrayList<>();
        int next = 0;
        for (var e : bySyscall.entrySet()) {
            int nr = e.getKey();
            if (nr > next) add(out, new Range(next, dflt, null));
            List<Entry> entries = e.getValue();
            boolean plain = entries.size() == 1 && entries.get(0).args().isEmpty();
            add(out, plain ? new Range(nr, entries.get(0).ret(), null) : new Range(nr, 0, entries));
            next = nr + 1;
        }
        add(out, new Range(next, dflt, null)); // everything above the highest named number
        return out;
    }

    private static void add(List<Range> out, Range r) {
        Range last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && last.block() == null && r.block() == null && last.ret() == r.ret()) return; // extends it
        out.add(r);
    }

    /** Binary search over ranges[lo..hi] with the syscall number in A. */
    private static void emitTree(ClassicBpf p, List<Range> ranges, long dflt, boolean wide) {
        emitTree(p, ranges, 0, ranges.size() - 1, dflt, wide);
    }

    private static void emitTree(ClassicBpf p, List<Range> ranges, int lo, int hi, long dflt, boolean wide) {
        if (lo == hi) {
            Range r = ranges.get(lo);
            if (r.block() == null) p.ret(r.ret());
            else emitBlock(p, r.block(), dflt, wide);
            return;
        }
        int mid = (lo + hi + 1) / 2;
        String left = p.label(), right = p.label();
        // if (nr >= start of mid) goto right (a 32-bit jump: subtrees can be long) else left
        p.jumpIf(ClassicBpf.JMP_JGE_K, ranges.get(mid).start(), null, left).jump(right);
        p.here(left);
        emitTree(p, ranges, lo, mid - 1, dflt, wide);
        p.here(right);
        emitTree(p, ranges, mid, hi, dflt, wide);
    }

    private static void emitBlock(ClassicBpf p, List<Entry> entries, long dflt, boolean wide) {
        for (Entry e : entries) {
            if (e.args().isEmpty()) continue; // the plain rule is the fallback, below
            String next = p.label();
            for (SeccompProfile.Arg a : e.args()) {
                if (wide) emitCondition(p, a, next);
                else emitCondition32(p, a, next);
            }
            p.ret(e.ret());
            p.here(next);
        }
        long fallback = dflt;
        for (Entry e : entries) if (e.args().isEmpty()) { fallback = e.ret(); break; }
        p.ret(fallback);
    }

    /**
     * The condition on a 32-bit argument (i386): the argument is its low half, compared with the
     * profile's 64-bit value as numbers, so a value above 32 bits decides the test by itself.
     */
    private static void emitCondition32(ClassicBpf p, SeccompProfile.Arg a, String fail) {
        int lo = OFF_ARGS + 8 * a.index();
        long v = a.value(), vLo = v & 0xffffffffL;
        boolean big = (v >>> 32) != 0;
        switch (a.op()) {
            case "SCMP_CMP_EQ" -> {
                if (big) p.jump(fail);
                else p.load(lo).jumpIf(ClassicBpf.JMP_JEQ_K, vLo, null, fail);
            }
            case "SCMP_CMP_NE" -> {
                if (!big) p.load(lo).jumpIf(ClassicBpf.JMP_JEQ_K, vLo, fail, null);
            }
            case "SCMP_CMP_MASKED_EQ" -> {
                if ((a.valueTwo() >>> 32) != 0) p.jump(fail); // the masked argument has no high bits
                else p.load(lo).and(vLo).jumpIf(ClassicBpf.JMP_JEQ_K, a.valueTwo(), null, fail);
            }
            case "SCMP_CMP_GT" -> {
                if (big) p.jump(fail);
                else p.load(lo).jumpIf(ClassicBpf.JMP_JGT_K, vLo, null, fail);
            }
            case "SCMP_CMP_GE" -> {
                if (big) p.jump(fail);
                else p.load(lo).jumpIf(ClassicBpf.JMP_JGE_K, vLo, null, fail);
            }
            case "SCMP_CMP_LT" -> {
                if (!big) p.load(lo).jumpIf(ClassicBpf.JMP_JGE_K, vLo, fail, null);
            }
            case "SCMP_CMP_LE" -> {
                if (!big) p.load(lo).jumpIf(ClassicBpf.JMP_JGT_K, vLo, fail, null);
            }
            default -> throw new IllegalArgumentException("unknown op " + a.op());
        }
    }

    /** Falls through when the condition holds, jumps to {@code fail} when it does not. */
    private static void emitCondition(ClassicBpf p, SeccompProfile.Arg a, String fail) {
        int lo = OFF_ARGS + 8 * a.index(), hi = lo + 4; // little-endian: the low half first
        long vHi = a.value() >>> 32, vLo = a.value() & 0xffffffffL;
        String pass = p.label();
        switch (a.op()) {
            case "SCMP_CMP_EQ" -> p.load(hi).jumpIf(ClassicBpf.JMP_JEQ_K, vHi, null, fail)
                    .load(lo).jumpIf(ClassicBpf.JMP_JEQ_K, vLo, null, fail);
            case "SCMP_CMP_NE" -> p.load(hi).jumpIf(ClassicBpf.JMP_JEQ_K, vHi, null, pass)
                    .load(lo).jumpIf(ClassicBpf.JMP_JEQ_K, vLo, fail, null);
            case "SCMP_CMP_MASKED_EQ" -> {
                long wHi = a.valueTwo() >>> 32, wLo = a.valueTwo() & 0xffffffffL;
                p.load(hi).and(vHi).jumpIf(ClassicBpf.JMP_JEQ_K, wHi, null, fail)
                        .load(lo).and(vLo).jumpIf(ClassicBpf.JMP_JEQ_K, wLo, null, fail);
            }
            case "SCMP_CMP_GT", "SCMP_CMP_GE" -> p.load(hi).jumpIf(ClassicBpf.JMP_JGT_K, vHi, pass, null)
                    .jumpIf(ClassicBpf.JMP_JEQ_K, vHi, null, fail)
                    .load(lo).jumpIf(a.op().equals("SCMP_CMP_GT") ? ClassicBpf.JMP_JGT_K : ClassicBpf.JMP_JGE_K, vLo, null, fail);
            case "SCMP_CMP_LT", "SCMP_CMP_LE" -> p.load(hi).jumpIf(ClassicBpf.JMP_JGT_K, vHi, fail, null)
                    .jumpIf(ClassicBpf.JMP_JEQ_K, vHi, null, pass)
                    .load(lo).jumpIf(a.op().equals("SCMP_CMP_LT") ? ClassicBpf.JMP_JGE_K : ClassicBpf.JMP_JGT_K, vLo, fail, null);
            default -> throw new IllegalArgumentException("unknown op " + a.op());
        }
        p.here(pass);
    }
}
