package dev.hutch.security;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled filters, run through a classic BPF interpreter (the kernel's semantics for the
 * opcodes the compiler emits) on made-up seccomp_data: what the kernel would answer each call.
 */
class SeccompCompilerTest {
    static final long ALLOW = 0x7fff0000L, EPERM = 0x00050001L, ENOSYS = 0x00050026L, KILL_PROCESS = 0x80000000L;
    static final SyscallArch X86 = SyscallArch.x86_64(), ARM = SyscallArch.aarch64();
    static final SeccompProfile DEFAULT = SeccompProfile.parse(SeccompProfile.defaultJson(), "default");

    /** Runs the filter on (arch, nr, args) and returns the SECCOMP_RET_* value. */
    static long run(byte[] prog, long arch, int nr, long... args) {
        int[] data = new int[16];
        data[0] = nr;
        data[1] = (int) arch;
        for (int i = 0; i < args.length; i++) {
            data[4 + 2 * i] = (int) args[i];            // low half first (little-endian)
            data[5 + 2 * i] = (int) (args[i] >>> 32);
        }
        long a = 0;
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int p = pc * 8;
            int code = (prog[p] & 0xff) | (prog[p + 1] & 0xff) << 8;
            int jt = prog[p + 2] & 0xff, jf = prog[p + 3] & 0xff;
            long k = (prog[p + 4] & 0xffL) | (prog[p + 5] & 0xffL) << 8 | (prog[p + 6] & 0xffL) << 16 | (prog[p + 7] & 0xffL) << 24;
            pc++;
            switch (code) {
                case ClassicBpf.LD_W_ABS -> a = data[(int) k / 4] & 0xffffffffL;
                case ClassicBpf.ALU_AND_K -> a &= k;
                case ClassicBpf.RET_K -> { return k; }
                case ClassicBpf.JMP_JA -> pc += (int) k;
                case ClassicBpf.JMP_JEQ_K -> pc += a == k ? jt : jf;
                case ClassicBpf.JMP_JGT_K -> pc += a > k ? jt : jf;
                case ClassicBpf.JMP_JGE_K -> pc += a >= k ? jt : jf;
                default -> throw new AssertionError("unexpected opcode " + code);
            }
        }
        throw new AssertionError("no return");
    }

    static byte[] compile(SeccompProfile p, SyscallArch arch, String... caps) {
        return SeccompCompiler.compile(p, new HashSet<>(List.of(caps)), arch, "6.1.0-18-amd64");
    }

    static int nr(SyscallArch arch, String name) { return arch.syscalls().get(name); }

    static long call(byte[] prog, SyscallArch arch, String name, long... args) { return run(prog, arch.auditArch(), nr(arch, name), args); }

    @Test
    void dockersDefaultAllowsTheEverydayAndRefusesTheEscapeSurface() {
        byte[] f = compile(DEFAULT, X86, Capabilities.DEFAULT.toArray(String[]::new));
        for (String ok : List.of("read", "write", "openat", "execve", "mmap", "futex", "exit_group", "arch_prctl", "mkdir", "chown"))
            assertEquals(ALLOW, call(f, X86, ok), ok);
        for (String no : List.of("mount", "umount2", "unshare", "setns", "keyctl", "add_key", "request_key", "bpf",
                "perf_event_open", "kexec_load", "kexec_file_load", "open_by_handle_at", "init_module", "finit_module",
                "reboot", "swapon", "pivot_root", "userfaultfd", "fsopen", "move_mount", "iopl"))
            assertEquals(EPERM, call(f, X86, no), no);
        assertEquals(ALLOW, call(f, X86, "chroot"), "chroot comes with CAP_SYS_CHROOT, a default capability");
        assertEquals(EPERM, run(f, X86.auditArch(), 4000), "a number past every syscall");
    }

    @Test
    void cloneOnlyWithoutNamespaceFlagsAndClone3AnswersEnosysSoLibcFallsBack() {
        byte[] f = compile(DEFAULT, X86, Capabilities.DEFAULT.toArray(String[]::new));
        long fork = 0x01200011L; // CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD, what fork() passes
        long thread = 0x003d0f00L; // pthread_create's flags
        assertEquals(ALLOW, call(f, X86, "clone", fork));
        assertEquals(ALLOW, call(f, X86, "clone", thread));
        assertEquals(EPERM, call(f, X86, "clone", 0x10000000L | 17), "CLONE_NEWUSER");
        assertEquals(EPERM, call(f, X86, "clone", 0x20000000L | 17), "CLONE_NEWPID");
        assertEquals(ENOSYS, call(f, X86, "clone3"));
        byte[] admin = compile(DEFAULT, X86, "CAP_SYS_ADMIN");
        assertEquals(ALLOW, call(admin, X86, "clone", 0x10000000L | 17));
        assertEquals(ALLOW, call(admin, X86, "clone3"));
        assertEquals(ALLOW, call(admin, X86, "mount"));
    }

    @Test
    void argumentFiltersOfTheDefaultProfile() {
        byte[] f = compile(DEFAULT, X86);
        assertEquals(ALLOW, call(f, X86, "personality", 0));
        assertEquals(ALLOW, call(f, X86, "personality", 0xffffffffL));
        assertEquals(EPERM, call(f, X86, "personality", 0x0040000L), "ADDR_NO_RANDOMIZE");
        assertEquals(EPERM, call(f, X86, "personality", 0x1_00000000L), "the high half counts too");
        assertEquals(ALLOW, call(f, X86, "socket", 2), "AF_INET");
        assertEquals(ALLOW, call(f, X86, "socket", 16), "AF_NETLINK");
        assertEquals(EPERM, call(f, X86, "socket", 40), "AF_VSOCK");
        assertEquals(EPERM, call(f, X86, "socket", 38), "AF_ALG");
    }

    @Test
    void foreignArchitecturesAreKilledAndX32GetsEnosys() {
        byte[] f = compile(DEFAULT, X86);
        assertEquals(KILL_PROCESS, run(f, 0x40000003L /* AUDIT_ARCH_I386 */, 3));
        assertEquals(ENOSYS, run(f, X86.auditArch(), 0x40000000 | 2));
        byte[] arm = compile(DEFAULT, ARM);
        assertEquals(ALLOW, call(arm, ARM, "openat"));
        assertEquals(EPERM, call(arm, ARM, "mount"));
        assertEquals(KILL_PROCESS, run(arm, X86.auditArch(), 1));
    }

    @Test
    void everyComparisonOperatorOn64BitValues() {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 13, "syscalls": [
                  {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 4294967301, "op": "SCMP_CMP_GT"}]},
                  {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 4294967301, "op": "SCMP_CMP_GE"}]},
                  {"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_LT"}]},
                  {"names": ["dup"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_LE"}]},
                  {"names": ["dup2"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_NE"}]},
                  {"names": ["dup3"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967296, "valueTwo": 4294967296, "op": "SCMP_CMP_MASKED_EQ"}]},
                  {"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 2, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["getpid"], "action": "SCMP_ACT_KILL_PROCESS"},
                  {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 99}
                ]}""";
        byte[] f = compile(SeccompProfile.parse(json, "test"), X86);
        long v = 4294967301L, eacces = 0x0005000dL;
        long[][] cases = { // syscall index in names below, value, expect allow?
        };
        assertEquals(ALLOW, call(f, X86, "read", 0, v + 1));
        assertEquals(eacces, call(f, X86, "read", 0, v));
        assertEquals(eacces, call(f, X86, "read", 0, 6), "low half bigger, high half smaller");
        assertEquals(ALLOW, call(f, X86, "read", 0, 0x2_00000000L));
        assertEquals(ALLOW, call(f, X86, "write", 0, 0, v));
        assertEquals(eacces, call(f, X86, "write", 0, 0, v - 1));
        assertEquals(ALLOW, call(f, X86, "close", v - 1));
        assertEquals(ALLOW, call(f, X86, "close", 0xffffffffL));
        assertEquals(eacces, call(f, X86, "close", v));
        assertEquals(eacces, call(f, X86, "close", 0x2_00000000L));
        assertEquals(ALLOW, call(f, X86, "dup", v));
        assertEquals(eacces, call(f, X86, "dup", v + 1));
        assertEquals(ALLOW, call(f, X86, "dup2", 5), "same low half, other high half");
        assertEquals(eacces, call(f, X86, "dup2", v));
        assertEquals(ALLOW, call(f, X86, "dup3", 0x1_00000007L));
        assertEquals(eacces, call(f, X86, "dup3", 7));
        assertEquals(ALLOW, call(f, X86, "lseek", 1, 0, 2));
        assertEquals(eacces, call(f, X86, "lseek", 1, 0, 3), "every condition of a rule must hold");
        assertEquals(KILL_PROCESS, call(f, X86, "getpid"));
        assertEquals(0x00050063L, call(f, X86, "getppid"));
        assertEquals(eacces, call(f, X86, "openat"));
        assertEquals(0, cases.length);
    }

    @Test
    void includesAndExcludesFollowCapabilitiesArchitecturesAndKernel() {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "6.2"}},
                  {"names": ["getpid"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
                  {"names": ["getppid"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_KILL"]}},
                  {"names": ["gettid"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_KILL", "CAP_CHOWN"]}}
                ]}""";
        SeccompProfile p = SeccompProfile.parse(json, "test");
        assertEquals(EPERM, call(compile(p, X86), X86, "ptrace"), "6.1 < 6.2");
        assertEquals(ALLOW, call(SeccompCompiler.compile(p, Set.of(), X86, "6.10.3"), X86, "ptrace"));
        assertEquals(EPERM, call(compile(p, X86), X86, "getpid"));
        assertEquals(ALLOW, call(compile(p, ARM), ARM, "getpid"));
        assertEquals(ALLOW, call(compile(p, X86), X86, "getppid"));
        assertEquals(EPERM, call(compile(p, X86, "CAP_KILL"), X86, "getppid"));
        assertEquals(EPERM, call(compile(p, X86, "CAP_KILL"), X86, "gettid"), "every listed capability is needed");
        assertEquals(ALLOW, call(compile(p, X86, "CAP_KILL", "CAP_CHOWN"), X86, "gettid"));
    }

    @Test
    void theDefaultFilterIsSmallAndShallow() {
        byte[] f = compile(DEFAULT, X86, Capabilities.DEFAULT.toArray(String[]::new));
        int insns = f.length / 8;
        System.out.println("default filter: " + insns + " instructions");
        assertTrue(insns < 1000, "far below the kernel's 4096: " + insns);
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(SeccompCompiler.compareVersions("6.18.44-fc-v782", "4.8") > 0);
        assertTrue(SeccompCompiler.compareVersions("4.8", "4.10") < 0);
        assertEquals(0, SeccompCompiler.compareVersions("5.4.0-generic", "5.4"));
    }
}
