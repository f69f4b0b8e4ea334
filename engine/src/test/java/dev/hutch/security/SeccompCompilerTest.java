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

    static final SyscallArch I386 = SyscallArch.i386(), X32 = SyscallArch.x32();
    static final long KILL_THREAD = 0;

    @Test
    void dockersDefaultCoversI386WithItsOwnNumbersAsDockersArchMapSays() {
        byte[] f = compile(DEFAULT, X86, Capabilities.DEFAULT.toArray(String[]::new));
        for (String ok : List.of("read", "write", "getpid", "exit_group", "mmap2", "_llseek", "fcntl64", "stat64",
                "socketcall", "ipc", "set_thread_area", "sigreturn", "waitpid", "chown32", "arch_prctl", "modify_ldt"))
            assertEquals(ALLOW, call(f, I386, ok), "i386 " + ok);
        for (String no : List.of("unshare", "setns", "mount", "keyctl", "add_key", "bpf", "perf_event_open", "kexec_load",
                "open_by_handle_at", "pivot_root", "umount2", "iopl", "vm86", "vm86old", "io_uring_setup"))
            assertEquals(EPERM, call(f, I386, no), "i386 " + no);
        assertEquals(ENOSYS, call(f, I386, "clone3"));
        // the numbers really are i386's: 310 is unshare there, and x86_64's unshare (272) is i386's keyctl's neighbour
        assertEquals(310, nr(I386, "unshare"));
        assertEquals(EPERM, run(f, I386.auditArch(), 310));
        assertEquals(ALLOW, run(f, I386.auditArch(), 20), "getpid on i386; on x86_64 20 is writev");
        assertEquals(EPERM, run(f, I386.auditArch(), 4000), "a number past every syscall");
    }

    @Test
    void i386ArgumentsAreComparedAs32BitRegisters() {
        byte[] f = compile(DEFAULT, X86);
        long fork = 0x01200011L;
        assertEquals(ALLOW, call(f, I386, "clone", fork));
        assertEquals(EPERM, call(f, I386, "clone", 0x10000000L | 17), "CLONE_NEWUSER");
        assertEquals(ALLOW, call(f, I386, "personality", 0xffffffffL));
        assertEquals(ALLOW, call(f, I386, "personality", 0x1_00000000L), "the high half of an i386 argument is not looked at");
        assertEquals(EPERM, call(f, I386, "personality", 0x0040000L));
        assertEquals(ALLOW, call(f, I386, "socket", 2));
        assertEquals(EPERM, call(f, I386, "socket", 40), "AF_VSOCK through the direct socket call");
        assertEquals(EPERM, call(f, I386, "socket", 0x7_00000028L), "junk in the high half does not help either");
        // values above 32 bits decide by themselves against a 32-bit argument
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "syscalls": [
                  {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_LT"}]},
                  {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_NE"}]},
                  {"names": ["dup"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_GE"}]},
                  {"names": ["dup2"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 7, "op": "SCMP_CMP_GT"}]},
                  {"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 255, "valueTwo": 3, "op": "SCMP_CMP_MASKED_EQ"}]}
                ]}""";
        byte[] g = compile(SeccompProfile.parse(json, "test"), X86);
        assertEquals(ALLOW, call(g, I386, "read", 0xffffffffL));
        assertEquals(EPERM, call(g, I386, "write", 5));
        assertEquals(ALLOW, call(g, I386, "close", 5));
        assertEquals(EPERM, call(g, I386, "dup", 0xffffffffL));
        assertEquals(ALLOW, call(g, I386, "dup2", 0, 8));
        assertEquals(EPERM, call(g, I386, "dup2", 0, 7));
        assertEquals(ALLOW, call(g, I386, "lseek", 0, 0, 0x103));
        assertEquals(EPERM, call(g, I386, "lseek", 0, 0, 4));
    }

    @Test
    void x32IsFilteredWithItsOwnNumbersToo() {
        byte[] f = compile(DEFAULT, X86, Capabilities.DEFAULT.toArray(String[]::new));
        assertEquals(ALLOW, call(f, X32, "read"));
        assertEquals(ALLOW, call(f, X32, "rt_sigaction"), "an x32-only number (512)");
        assertEquals(EPERM, call(f, X32, "unshare"));
        assertEquals(EPERM, call(f, X32, "keyctl"));
        assertEquals(EPERM, call(f, X32, "clone", 0x10000000L | 17));
        assertEquals(0x40000000 + 272, nr(X32, "unshare"));
    }

    @Test
    void architecturesAndArchMapDecideWhichAbisAreCoveredTheRestIsKilled() {
        String rules = "\"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]";
        byte[] none = compile(SeccompProfile.parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", " + rules + "}", "t"), X86);
        assertEquals(ALLOW, call(none, X86, "getpid"));
        assertEquals(KILL_THREAD, call(none, I386, "getpid"), "no architectures: native only, as libseccomp");
        assertEquals(KILL_THREAD, call(none, X32, "getpid"));
        byte[] only64 = compile(SeccompProfile.parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"], " + rules + "}", "t"), X86);
        assertEquals(ALLOW, call(only64, X86, "mount"));
        assertEquals(KILL_THREAD, call(only64, I386, "getpid"), "even under defaultAction ALLOW");
        byte[] withX86 = compile(SeccompProfile.parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"], " + rules + "}", "t"), X86);
        assertEquals(ALLOW, call(withX86, X86, "getpid"), "the native architecture is always in");
        assertEquals(ALLOW, call(withX86, I386, "getpid"));
        assertEquals(EPERM, call(withX86, I386, "getppid"));
        assertEquals(KILL_THREAD, call(withX86, X32, "getpid"));
        byte[] mapped = compile(SeccompProfile.parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": "
                + "\"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}, {\"architecture\": \"SCMP_ARCH_X86_64\", "
                + "\"subArchitectures\": [\"SCMP_ARCH_X32\"]}], " + rules + "}", "t"), X86);
        assertEquals(KILL_THREAD, call(mapped, I386, "getpid"), "only the native entry's sub-architectures");
        assertEquals(ALLOW, call(mapped, X32, "getpid"));
        assertEquals(KILL_THREAD, run(mapped, 0x40000028L /* AUDIT_ARCH_ARM */, 20));
        byte[] arm = compile(DEFAULT, ARM);
        assertEquals(ALLOW, call(arm, ARM, "openat"));
        assertEquals(EPERM, call(arm, ARM, "mount"));
        assertEquals(KILL_THREAD, run(arm, X86.auditArch(), 1));
        assertEquals(KILL_THREAD, run(arm, 0x40000028L, 20), "hutch has no 32-bit arm table: killed on aarch64");
    }

    @Test
    void badArchitectureFieldsAreRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.hutch.spec.InvalidSpecException.class, () -> SeccompProfile.parse(
                "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "p.json"));
        assertTrue(e.getMessage().contains("both \"architectures\" and \"archMap\""), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.hutch.spec.InvalidSpecException.class, () -> SeccompProfile.parse(
                "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"x86_64\"]}", "p.json"));
        assertTrue(e.getMessage().contains("\"x86_64\", not a libseccomp architecture"), e.getMessage());
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
        System.out.println("default filter (x86_64, i386 and x32 sections): " + insns + " instructions");
        assertTrue(insns < 1500, "far below the kernel's 4096: " + insns);
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(SeccompCompiler.compareVersions("6.18.44-fc-v782", "4.8") > 0);
        assertTrue(SeccompCompiler.compareVersions("4.8", "4.10") < 0);
        assertEquals(0, SeccompCompiler.compareVersions("5.4.0-generic", "5.4"));
    }
}
