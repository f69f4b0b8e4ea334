package dev.hutch.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An architecture a seccomp filter can be made for: its audit arch number (what the kernel puts in
 * seccomp_data.arch), docker's name for it (as in a profile's includes.arches) and its syscall
 * table (name → number), kept as data generated from the kernel's uapi headers
 * ({@code syscalls-<arch>.txt}).
 */
public final class SyscallArch {
    private final String name, dockerName;
    private final long auditArch;
    private final boolean hasX32;
    private Map<String, Integer> syscalls; // read on first use: a cached filter never needs it

    private SyscallArch(String name, String dockerName, long auditArch, boolean hasX32) {
        this.name = name;
        this.dockerName = dockerName;
        this.auditArch = auditArch;
        this.hasX32 = hasX32;
    }

    public String name() { return name; }

    public String dockerName() { return dockerName; }

    public long auditArch() { return auditArch; }

    public boolean hasX32() { return hasX32; }

    /** name → number, read from the table on first use. */
    public synchronized Map<String, Integer> syscalls() {
        if (syscalls == null) syscalls = table(name);
        return syscalls;
    }

    /** x32 syscalls are x86_64 numbers with this bit set; the filter refuses them (see docs/security.md). */
    static final long X32_BIT = 0x40000000L;

    public static SyscallArch x86_64() { return new SyscallArch("x86_64", "amd64", 0xC000003EL, true); }

    public static SyscallArch aarch64() { return new SyscallArch("aarch64", "arm64", 0xC00000B7L, false); }

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
