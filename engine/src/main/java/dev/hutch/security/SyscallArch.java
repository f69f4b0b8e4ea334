package dev.hutch.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An architecture a seccomp filter can be made for: its audit arch number (what the kernel puts in
 * seccomp_data.arch), docker's name for it (as in a profile's includes.arches), libseccomp's name
 * (as in a profile's {@code architectures} and {@code archMap}), its word size, and its syscall
 * table (name → number), kept as data generated from the kernel's uapi headers
 * ({@code syscalls-<arch>.txt}; i386 and x32 by scripts/syscall-tables.sh).
 *
 * <p>x32 shares x86_64's audit arch: its calls are told apart by the x32 bit in the number, and its
 * table holds the numbers with that bit set.
 */
public final class SyscallArch {
    private final String name, dockerName, scmpName;
    private final long auditArch;
    private final boolean wide;
    private Map<String, Integer> syscalls; // read on first use: a cached filter never needs it

    private SyscallArch(String name, String dockerName, String scmpName, long auditArch, boolean wide) {
        this.name = name;
        this.dockerName = dockerName;
        this.scmpName = scmpName;
        this.auditArch = auditArch;
        this.wide = wide;
    }

    public String name() { return name; }

    public String dockerName() { return dockerName; }

    /** libseccomp's name, e.g. SCMP_ARCH_X86_64. */
    public String scmpName() { return scmpName; }

    public long auditArch() { return auditArch; }

    /** 64-bit arguments; false for i386, whose arguments are 32-bit registers (only the low half is compared). */
    public boolean wide() { return wide; }

    /** name → number, read from the table on first use. */
    public synchronized Map<String, Integer> syscalls() {
        if (syscalls == null) syscalls = table(name);
        return syscalls;
    }

    /** x32 syscalls are x86_64 numbers with this bit set. */
    static final long X32_BIT = 0x40000000L;

    static final long AUDIT_ARCH_X86_64 = 0xC000003EL, AUDIT_ARCH_I386 = 0x40000003L, AUDIT_ARCH_AARCH64 = 0xC00000B7L;

    public static SyscallArch x86_64() { return new SyscallArch("x86_64", "amd64", "SCMP_ARCH_X86_64", AUDIT_ARCH_X86_64, true); }

    /** 32-bit x86 (int 0x80, or a 32-bit program) on an x86_64 kernel. */
    public static SyscallArch i386() { return new SyscallArch("i386", "x86", "SCMP_ARCH_X86", AUDIT_ARCH_I386, false); }

    public static SyscallArch x32() { return new SyscallArch("x32", "x32", "SCMP_ARCH_X32", AUDIT_ARCH_X86_64, true); }

    public static SyscallArch aarch64() { return new SyscallArch("aarch64", "arm64", "SCMP_ARCH_AARCH64", AUDIT_ARCH_AARCH64, true); }

    public boolean isX32() { return name.equals("x32"); }

    /**
     * The other ABIs a process on this (native) architecture can call the kernel with and that hutch
     * has a table for: i386 and x32 on x86_64. (aarch64's 32-bit arm has none: such calls stay
     * refused by the architecture check.)
     */
    public List<SyscallArch> subArchitectures() {
        return name.equals("x86_64") ? List.of(i386(), x32()) : List.of();
    }

    /** libseccomp's architecture names: a profile naming anything else is refused. */
    static final Set<String> KNOWN_SCMP_NAMES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS",
            "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
            "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
            "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    private static SyscallArch nativeArch;

    /** This JVM's architecture; null where hutch has no table (the engine then says so). */
    public static synchronized SyscallArch host() {
        if (nativeArch == null) {
            String a = System.getProperty("os.arch", "");
            nativeArch = switch (a) {
                case "amd64", "x86_64" -> x86_64();
                case "aarch64", "arm64" -> aarch64();
                default -> null;
            };
        }
        return nativeArch;
    }

    private static Map<String, Integer> table(String arch) {
        Map<String, Integer> m = new HashMap<>(512);
        try (InputStream in = SyscallArch.class.getResourceAsStream("syscalls-" + arch + ".txt")) {
            if (in == null) throw new IllegalStateException("syscalls-" + arch + ".txt is missing from the jar");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') continue;
                int sp = line.indexOf(' ');
                m.put(line.substring(0, sp), Integer.parseInt(line.substring(sp + 1).trim()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read syscalls-" + arch + ".txt", e);
        }
        return m;
    }
}
