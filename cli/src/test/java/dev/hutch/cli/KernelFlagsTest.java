package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's kernel flags of {@code run}: --sysctl, --ulimit, --oom-score-adj, --oom-kill-disable,
 * --memory-swappiness, --shm-size, --group-add. Each effect is read where docker's users would
 * look: the command's /proc/PID files and the container's cgroup from the host, /proc/sys and
 * /dev/shm from inside, and the host's own sysctl unchanged. Every bad value is refused with one
 * line, exit 125, and leaves no container behind.
 */
@RequiresRoot
class KernelFlagsTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), roots.leftoverContainers(), "every container of the test is gone");
        assertEquals(List.of(), roots.leftoverCgroups(), "no cgroup left");
    }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static HutchProcess.Result sh(List<String> flags, String script) {
        List<String> a = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        a.addAll(flags);
        a.addAll(List.of("busybox", "sh", "-c", script));
        return hutch(a.toArray(String[]::new));
    }

    /** Runs `sleep` detached with the flags, hands the command's host pid to the check, removes it. */
    static void withCommandPid(List<String> flags, java.util.function.BiConsumer<String, Long> check) throws Exception {
        List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none"));
        a.addAll(flags);
        a.addAll(List.of("busybox", "sleep", "60"));
        HutchProcess.Result run = hutch(a.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        String id = run.out().trim();
        try {
            long init = Long.parseLong(hutch("inspect", "--format", "{{.State.Pid}}", id).out().trim());
            // State.Pid is hutch's init; the command is its only child
            String children = Files.readString(Path.of("/proc/" + init + "/task/" + init + "/children")).trim();
            check.accept(id, Long.parseLong(children.split("\\s+")[0]));
        } finally {
            assertEquals(0, hutch("rm", "-f", id).code());
        }
    }

    static String proc(long pid, String file) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/" + file));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static String hostSysctl(String name) throws Exception {
        return Files.readString(Path.of("/proc/sys/" + name.replace('.', '/'))).trim();
    }

    @Test
    void namespacedSysctlsAreSeenInsideAndTheHostKeepsItsOwn() throws Exception {
        String shmmax = hostSysctl("kernel.shmmax"), msgMax = hostSysctl("fs.mqueue.msg_max"),
                port = hostSysctl("net.ipv4.ip_unprivileged_port_start");
        HutchProcess.Result r = sh(List.of("--sysctl", "kernel.shmmax=123456789", "--sysctl", "fs.mqueue.msg_max=17",
                        "--sysctl", "net.ipv4.ip_unprivileged_port_start=79", "--sysctl", "kernel.sem=250 32000 100 99"),
                "cat /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/sem");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("123456789", "17", "79", "250\t32000\t100\t99"), r.out().trim().lines().toList());
        assertEquals(shmmax, hostSysctl("kernel.shmmax"));
        assertEquals(msgMax, hostSysctl("fs.mqueue.msg_max"));
        assertEquals(port, hostSysctl("net.ipv4.ip_unprivileged_port_start"));

        HutchProcess.Result ro = sh(List.of("--sysctl", "kernel.shmmax=123456789"), "echo 1 > /proc/sys/kernel/shmmax && echo WROTE");
        assertFalse(ro.out().contains("WROTE"), "/proc/sys stays read-only for the command: " + ro.out());
    }

    @Test
    void ulimitsOomScoreAndGroupsAreTheCommandsAsTheHostSeesThem() throws Exception {
        withCommandPid(List.of("--ulimit", "nofile=1000:2000", "--ulimit", "nproc=300", "--ulimit", "core=-1",
                "--oom-score-adj", "432", "--group-add", "1234", "--group-add", "nobody"), (id, pid) -> {
            String limits = proc(pid, "limits");
            assertTrue(limits.matches("(?s).*Max open files\\s+1000\\s+2000\\s+files.*"), limits);
            assertTrue(limits.matches("(?s).*Max processes\\s+300\\s+300\\s+processes.*"), limits);
            assertTrue(limits.matches("(?s).*Max core file size\\s+unlimited\\s+unlimited\\s+bytes.*"), limits);
            assertEquals("432", proc(pid, "oom_score_adj").trim());
            String groups = proc(pid, "status").lines().filter(l -> l.startsWith("Groups:")).findFirst().orElseThrow();
            assertEquals(List.of("1234", "65534"), List.of(groups.substring("Groups:".length()).trim().split("\\s+")),
                    "--group-add 1234 and busybox's nobody (65534)");
            // docker gives them to exec, with or without -u
            assertEquals("1234 65534", hutch("exec", id, "sh", "-c", "grep Groups: /proc/self/status | cut -f2").out().trim());
            assertEquals("1234 65534", hutch("exec", "-u", "nobody", id, "sh", "-c", "grep Groups: /proc/self/status | cut -f2").out().trim());
        });
    }

    @Test
    void shmSizeIsTheSizeOfDevShm() {
        HutchProcess.Result r = sh(List.of("--shm-size", "8m"), "grep ' /dev/shm ' /proc/mounts; df -k /dev/shm | tail -1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("size=8192k"), r.out());
        HutchProcess.Result d = sh(List.of(), "grep ' /dev/shm ' /proc/mounts");
        assertTrue(d.out().contains("size=65536k"), "docker's 64m by default: " + d.out());
    }

    @Test
    void oomKillDisableAndSwappinessOnCgroupV1OrAWarningOnV2() throws Exception {
        Path memoryV1 = Path.of("/sys/fs/cgroup/memory");
        boolean v1 = Files.isDirectory(memoryV1) && Files.exists(memoryV1.resolve("memory.oom_control"));
        if (!v1) {
            HutchProcess.Result r = sh(List.of("-m", "32m", "--oom-kill-disable", "--memory-swappiness", "5"), "true");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("--oom-kill-disable discarded: cgroup v2 has no switch"), r.err());
            assertTrue(r.err().contains("--memory-swappiness discarded"), r.err());
            return;
        }
        List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none", "-m", "32m", "--oom-kill-disable",
                "--memory-swappiness", "7", "busybox", "sleep", "60"));
        HutchProcess.Result run = hutch(a.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        String id = run.out().trim();
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(/sys/fs/cgroup/memory/[^\"]+)\"")
                    .matcher(hutch("inspect", id).out());
            assertTrue(m.find(), "inspect lists the memory cgroup");
            Path cg = Path.of(m.group(1));
            assertTrue(Files.readString(cg.resolve("memory.oom_control")).contains("oom_kill_disable 1"));
            assertEquals("7", Files.readString(cg.resolve("memory.swappiness")).trim());
        } finally {
            assertEquals(0, hutch("rm", "-f", id).code());
        }
    }

    @Test
    void badValuesAreRefusedWithOneLineAndExit125() {
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--sysctl", "kernel.hostname=x"), "--sysctl: \"kernel.hostname=x\" is not a namespaced sysctl");
        cases.put(List.of("--sysctl", "vm.swappiness=1"), "is not a namespaced sysctl");
        cases.put(List.of("--sysctl", "noequals"), "--sysctl: \"noequals\" is not NAME=VALUE");
        cases.put(List.of("--sysctl", "net.core.nosuchthing=1"), "this kernel has no such parameter");
        cases.put(List.of("--ulimit", "nofile=10:5"), "soft limit above its hard limit");
        cases.put(List.of("--ulimit", "wings=1"), "names no limit docker knows");
        cases.put(List.of("--ulimit", "nofile"), "is not NAME=SOFT[:HARD]");
        cases.put(List.of("--oom-score-adj", "1001"), "use a whole number from -1000 to 1000");
        cases.put(List.of("--oom-score-adj", "x"), "is not a whole number");
        cases.put(List.of("--shm-size", "12xb"), "--shm-size: \"12xb\" is not a size");
        cases.put(List.of("--group-add", "nosuchgroup"), "not in the image's /etc/group");
        cases.put(List.of("--memory-swappiness", "101"), "use 0 to 100");
        cases.forEach((flags, expected) -> {
            HutchProcess.Result r = sh(flags, "echo RAN");
            assertEquals(125, r.code(), flags + ": " + r.err());
            assertFalse(r.out().contains("RAN"), flags.toString());
            assertEquals(1, r.err().trim().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains(expected), flags + ": " + r.err());
        });
        HutchProcess.Result host = hutch("run", "--rm", "--network", "host", "--sysctl", "net.ipv4.ip_forward=1", "busybox", "true");
        assertEquals(125, host.code());
        assertTrue(host.err().contains("needs a network namespace of the container's own"), host.err());
    }

    @Test
    void aHardUlimitAboveTheHostsIsRefusedNamingTheHostsCeiling() throws Exception {
        // The sandbox caps open files (20000 here) and withholds CAP_SYS_RESOURCE, so hutch cannot raise it;
        // a host with the capability raises it instead (both are what docker does there)
        String self = Files.readString(Path.of("/proc/self/limits"));
        String row = self.lines().filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String hard = row.substring("Max open files".length()).trim().split("\\s+")[1];
        boolean canRaise = dev.hutch.runtime.Rlimits.hasSysResource(Files.readString(Path.of("/proc/self/status")));
        if (canRaise) {
            // A host that gives root CAP_SYS_RESOURCE (the pure v2 guest): no refusal, the limit is
            // raised as docker raises it, up to the kernel's fs.nr_open
            String nrOpen = Files.readString(Path.of("/proc/sys/fs/nr_open")).trim();
            HutchProcess.Result raised = sh(List.of("--ulimit", "nofile=" + nrOpen), "ulimit -Hn");
            assertEquals(0, raised.code(), raised.err());
            assertEquals(nrOpen, raised.out().trim(), "the kernel's ceiling, which root with CAP_SYS_RESOURCE may set");
            return;
        }
        long above = Long.parseLong(hard) + 1;
        HutchProcess.Result r = sh(List.of("--ulimit", "nofile=" + above), "true");
        assertEquals(125, r.code());
        assertTrue(r.err().contains("above this host's " + hard + " for nofile") && r.err().contains("use at most nofile=" + hard), r.err());
        HutchProcess.Result ok = sh(List.of("--ulimit", "nofile=" + hard), "ulimit -n");
        assertEquals(hard, ok.out().trim());
    }
}
