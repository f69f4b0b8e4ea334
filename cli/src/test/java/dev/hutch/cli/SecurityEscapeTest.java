package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The escape suite: each case is tried from inside a default container and must be refused; where
 * it matters, {@code --privileged} or {@code seccomp=unconfined} must give it back (so the refusal
 * is the wall's, not an accident of the image). Syscalls busybox cannot make are tried by a tiny
 * static C probe (src/test/resources/probe) mounted read-only into the container.
 *
 * <p>Version-aware: the block-device case runs with the host's own layout (v1 devices on a hybrid
 * host, the BPF program on a pure v2 host) and, where a hybrid host also mounts a v2 hierarchy,
 * once more with the cgroup root moved onto that hierarchy, so the v2 device program is the only
 * wall and is tested for real.
 */
@RequiresRoot
class SecurityEscapeTest {
    static TestRoots roots;
    static Path probeDir;

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        probeDir = Files.createDirectories(roots.dir().resolve("probe"));
        Path probe = probeDir.resolve("escape-probe");
        // A probe built beforehand (the pure v2 guest has no compiler: test-in-guest.sh builds it
        // on the host and passes it in), else one compiled here.
        String prebuilt = System.getProperty("hutch.escape.probe");
        if (prebuilt != null) {
            Files.copy(Path.of(prebuilt), probe);
            probe.toFile().setExecutable(true, false);
            return;
        }
        Assumptions.assumeTrue(dev.hutch.testing.HostConditions.onPath("gcc"),
                "needs gcc to build the static escape probe (or -Dhutch.escape.probe=PATH to a built one)");
        Path src = probeDir.resolve("escape-probe.c");
        try (InputStream in = SecurityEscapeTest.class.getResourceAsStream("/probe/escape-probe.c")) {
            Files.copy(in, src);
        }
        Process gcc = new ProcessBuilder("gcc", "-static", "-O", "-o", probe.toString(), src.toString())
                .inheritIO().start();
        assertEquals(0, gcc.waitFor(), "gcc -static of the probe");
    }

    @AfterAll
    static void tearDown() {
        if (roots != null) roots.close();
    }

    static HutchProcess.Result hutch(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(roots.environment());
        env.putAll(extraEnv);
        return HutchProcess.runShown(env, args);
    }

    static HutchProcess.Result hutch(String... args) { return hutch(Map.of(), args); }

    /** hutch run --rm --network none [flags] busybox sh -c SCRIPT */
    static HutchProcess.Result sh(List<String> flags, String script) {
        List<String> a = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        a.addAll(flags);
        a.addAll(List.of("busybox", "sh", "-c", script));
        return hutch(a.toArray(String[]::new));
    }

    static HutchProcess.Result probe(List<String> flags, String... calls) {
        List<String> a = new ArrayList<>(List.of("run", "--rm", "--network", "none", "-e", "HUTCH_PROBE_INSIDE=1",
                "-v", probeDir + ":/probe:ro"));
        a.addAll(flags);
        a.add("busybox");
        a.add("/probe/escape-probe");
        a.addAll(List.of(calls));
        return hutch(a.toArray(String[]::new));
    }

    @Test
    void aDefaultContainerRunsUnderSeccompAndCannotMakeAUserNamespace() {
        HutchProcess.Result r = sh(List.of(), "grep Seccomp: /proc/self/status; grep NoNewPrivs /proc/self/status; "
                + "unshare -U -r id && echo USERNS-MADE; true");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Seccomp:\t2"), r.out());
        assertTrue(r.out().contains("NoNewPrivs:\t1"), r.out());
        assertFalse(r.out().contains("USERNS-MADE"), r.out());

        HutchProcess.Result open = sh(List.of("--security-opt", "seccomp=unconfined", "--security-opt", "no-new-privileges=false"),
                "grep Seccomp: /proc/self/status; grep NoNewPrivs /proc/self/status; unshare -U -r id && echo USERNS-MADE");
        assertTrue(open.out().contains("Seccomp:\t0"), open.out());
        assertTrue(open.out().contains("NoNewPrivs:\t0"), open.out());
        assertTrue(open.out().contains("USERNS-MADE"), "unconfined gives user namespaces back: " + open.out());
    }

    @Test
    void escapeSyscallsAreRefusedAndPrivilegedGivesThemBack() {
        HutchProcess.Result r = probe(List.of(), "keyctl", "add_key", "bpf", "perf_event_open", "kexec_load",
                "open_by_handle_at", "mount", "unshare_user", "clone_user", "clone3");
        assertEquals(0, r.code(), r.err());
        for (String call : List.of("keyctl", "add_key", "bpf", "perf_event_open", "kexec_load", "open_by_handle_at",
                "mount", "unshare_user", "clone_user"))
            assertTrue(r.out().contains(call + "=EPERM\n"), call + " must be refused: " + r.out());
        assertTrue(r.out().contains("clone3=ENOSYS\n"), "clone3 answers ENOSYS so libc falls back to clone: " + r.out());

        HutchProcess.Result priv = probe(List.of("--privileged"), "mount", "clone_user", "unshare_user");
        assertTrue(priv.out().contains("mount=ok\n"), priv.out());
        assertTrue(priv.out().contains("unshare_user=ok\n"), priv.out());
        assertTrue(priv.out().contains("clone_user=ok\n"), priv.out());
    }

    @Test
    void aDockerProfileGivenWithSecurityOptIsEnforced() throws Exception {
        Path profile = roots.dir().resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}""");
        HutchProcess.Result r = sh(List.of("--security-opt", "seccomp=" + profile),
                "mkdir /tmp/d && echo MADE; unshare -U -r true && echo USERNS-MADE");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().lines().anyMatch("MADE"::equals), r.out());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
        assertTrue(r.out().contains("USERNS-MADE"), "the given profile replaces the default: " + r.out());
    }

    /**
     * 32-bit x86 calls (int $0x80, AUDIT_ARCH_I386) go through the same profile with i386's own
     * numbers, as docker's archMap has it: allowed calls work (a 32-bit program runs), refused
     * ones get EPERM. A profile that covers x86_64 only kills such a call (libseccomp's bad-arch
     * action), even with defaultAction ALLOW.
     */
    @Test
    void i386CallsAreFilteredWithTheirOwnNumbersAsDockersArchMapSays() throws Exception {
        HutchProcess.Result r = probe(List.of(), "i386_getpid", "i386_unshare_user", "i386_keyctl", "keyctl");
        assertEquals(0, r.code(), r.err());
        Assumptions.assumeFalse(r.out().contains("=NO-IA32"), "this kernel runs no 32-bit code (ia32 emulation is off: "
                + "int $0x80 faults before seccomp sees it; the kernel log says \"32-bit emulation disabled\"), so no i386 "
                + "syscall can be made on this host; the pure-v2 guest (Debian's kernel) runs this case");
        assertTrue(r.out().contains("i386_getpid=ok\n"), "an allowed i386 call works: " + r.out());
        assertTrue(r.out().contains("i386_unshare_user=EPERM\n"), r.out());
        assertTrue(r.out().contains("i386_keyctl=EPERM\n"), r.out());

        HutchProcess.Result open = probe(List.of("--security-opt", "seccomp=unconfined"), "i386_unshare_user", "i386_keyctl");
        assertTrue(open.out().contains("i386_keyctl=ok\n"), "the refusal was the filter's: " + open.out());

        Path only64 = roots.dir().resolve("only-x86_64.json");
        Files.writeString(only64, """
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": []}""");
        HutchProcess.Result killed = probe(List.of("--security-opt", "seccomp=" + only64), "i386_getpid", "keyctl");
        assertTrue(killed.out().contains("i386_getpid=KILLED\n"), "an architecture the profile does not cover is killed: " + killed.out());
        assertTrue(killed.out().contains("keyctl=ok\n"), "while x86_64 calls follow the profile: " + killed.out());
    }

    /**
     * MAJ MIN of a block device the host's root can open for reading (a disk from /proc/partitions,
     * else a loop device): so a refusal inside is the container's wall, not the host's own.
     */
    static String hostBlockDevice() throws Exception {
        List<String> candidates = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/partitions"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && f[0].matches("\\d+")) candidates.add("/dev/" + f[3]);
        }
        candidates.add("/dev/loop0");
        for (String dev : candidates) {
            Path p = Path.of(dev);
            if (!Files.exists(p)) continue;
            try (InputStream in = Files.newInputStream(p)) {
                long rdev = (Long) Files.getAttribute(p, "unix:rdev");
                return dev + "=" + major(rdev) + " " + minor(rdev);
            } catch (Exception e) {
                System.out.println("host cannot open " + dev + " itself (" + e.getMessage() + "); trying the next");
            }
        }
        Assumptions.abort("this host has no block device its root can open");
        return null;
    }

    static long major(long rdev) { return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L); }

    static long minor(long rdev) { return (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L); }

    /** Makes the node and opens it for reading (harmless: nothing is read or written). */
    static String openDisk() throws Exception {
        String d = hostBlockDevice();
        System.out.println("block device: " + d);
        return "mknod /tmp/disk b " + d.substring(d.indexOf('=') + 1) + " && exec 3</tmp/disk && echo DISK-OPENED";
    }

    @Test
    void aHostBlockDeviceCannotBeOpenedWithTheHostsOwnCgroupLayout() throws Exception {
        String script = openDisk();
        HutchProcess.Result r = sh(List.of(), script);
        assertFalse(r.out().contains("DISK-OPENED"), r.out());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
        HutchProcess.Result priv = sh(List.of("--privileged"), script);
        assertTrue(priv.out().contains("DISK-OPENED"), "--privileged allows every device: " + priv.out() + priv.err());
    }

    /**
     * The environment that puts the containers' cgroups on the v2 hierarchy only, so the v2 device
     * program is the only wall: none needed on a pure v2 host, HUTCH_CGROUP_ROOT on a hybrid one.
     */
    static Map<String, String> v2OnlyEnv() throws Exception {
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        Path v2 = null;
        boolean hasV1 = false;
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 0 || !f[4].startsWith("/sys/fs/cgroup")) continue;
            if (f[dash + 1].equals("cgroup2") && v2 == null) v2 = Path.of(f[4]);
            if (f[dash + 1].equals("cgroup")) hasV1 = true;
        }
        Assumptions.assumeTrue(v2 != null, "no cgroup v2 hierarchy is mounted under /sys/fs/cgroup");
        return hasV1 ? Map.of("HUTCH_CGROUP_ROOT", v2.toString()) : Map.of();
    }

    @Test
    void theV2DeviceProgramAloneRefusesAHostBlockDevice() throws Exception {
        // On a pure v2 host the test above already ran on the program alone; on a hybrid host, put
        // the containers' cgroups on the v2 hierarchy only: no v1 devices cgroup is made, so the
        // program is the only wall.
        Map<String, String> env = v2OnlyEnv();
        String script = openDisk();
        HutchProcess.Result r = hutch(env, "run", "--rm", "--network", "none", "busybox", "sh", "-c",
                "cat /proc/self/cgroup; " + script);
        assertFalse(r.out().contains("DISK-OPENED"), r.out());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
        HutchProcess.Result allowed = hutch(env, "run", "--rm", "--network", "none", "busybox", "sh", "-c",
                "head -c 16 /dev/zero | wc -c; head -c 16 /dev/urandom | wc -c");
        assertEquals("16\n16\n", allowed.out(), "the standard nodes stay usable: " + allowed.err());
        HutchProcess.Result priv = hutch(env, "run", "--rm", "--network", "none", "--privileged", "busybox", "sh", "-c", script);
        assertTrue(priv.out().contains("DISK-OPENED"), priv.out() + priv.err());
    }

    /**
     * --device-cgroup-rule: a node made with mknod inside opens only as far as a rule allows, with
     * the host's own layout (v1 devices here) and with the v2 program alone.
     */
    @Test
    void aDeviceCgroupRuleAllowsANodeMadeInside() throws Exception {
        String d = hostBlockDevice();
        String majMin = d.substring(d.indexOf('=') + 1), major = majMin.substring(0, majMin.indexOf(' '));
        String script = "mknod /tmp/disk b " + majMin + " && { exec 3</tmp/disk && echo OPENED-R; exec 4>/tmp/disk && echo OPENED-W; true; }";
        for (Map<String, String> env : List.of(Map.<String, String>of(), v2OnlyEnv())) {
            HutchProcess.Result none = hutch(env, "run", "--rm", "--network", "none", "busybox", "sh", "-c", script);
            assertFalse(none.out().contains("OPENED"), "no rule, no access: " + none.out());
            HutchProcess.Result r = hutch(env, "run", "--rm", "--network", "none",
                    "--device-cgroup-rule", "b " + majMin.replace(' ', ':') + " r", "busybox", "sh", "-c", script);
            assertTrue(r.out().contains("OPENED-R"), env + " 'b MAJ:MIN r' allows reading: " + r.out() + r.err());
            assertFalse(r.out().contains("OPENED-W"), env + " and not writing: " + r.out());
            HutchProcess.Result any = hutch(env, "run", "--rm", "--network", "none",
                    "--device-cgroup-rule", "b " + major + ":* rw", "busybox", "sh", "-c", script);
            assertTrue(any.out().contains("OPENED-R") && any.out().contains("OPENED-W"),
                    env + " a * minor matches, rw allows both: " + any.out() + any.err());
            HutchProcess.Result other = hutch(env, "run", "--rm", "--network", "none",
                    "--device-cgroup-rule", "c " + major + ":* rwm", "busybox", "sh", "-c", script);
            assertFalse(other.out().contains("OPENED"), env + " a char rule does not open a block device: " + other.out());
        }
    }

    /**
     * --privileged gives the container the host's device nodes, as docker does: every char and
     * block node of the host's /dev (but the console and ptmx, and the pts, shm, mqueue
     * directories the container has its own of) with the host's numbers, mode and owner; a
     * default container has none of them. The node opens (every device is allowed).
     */
    @Test
    void privilegedGetsTheHostsDeviceNodes() throws Exception {
        java.util.TreeSet<String> host = new java.util.TreeSet<>();
        try (var walk = Files.walk(Path.of("/dev"))) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = Path.of("/dev").relativize(p).toString();
                if (rel.matches("(pts|shm|mqueue|fd)(/.*)?|console|ptmx")) continue;
                int mode = (Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int fmt = mode & 0170000;
                if (fmt != 0020000 && fmt != 0060000) continue;
                long rdev = (Long) Files.getAttribute(p, "unix:rdev");
                host.add(p + " " + major(rdev) + ":" + minor(rdev) + " " + Integer.toOctalString(mode & 07777) + " "
                        + Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid"));
            }
        }
        assertTrue(host.size() > 6, "the host has device nodes beyond a container's own: " + host);
        String d = hostBlockDevice();
        String disk = d.substring(0, d.indexOf('='));
        // busybox stat prints major and minor in hex
        String list = "for n in $(find /dev \\( -type b -o -type c \\) | grep -v -e ^/dev/pts/ -e ^/dev/shm/ -e ^/dev/mqueue/); do "
                + "set -- $(stat -c '0x%t 0x%T %a %u %g' $n); echo \"$n $(($1)):$(($2)) $3 $4:$5\"; done; "
                + "readlink /dev/ptmx; exec 3<" + disk + " && echo DISK-OPENED";
        HutchProcess.Result r = sh(List.of("--privileged"), list);
        assertEquals(0, r.code(), r.err());
        java.util.TreeSet<String> inside = new java.util.TreeSet<>(r.out().lines().filter(l -> l.startsWith("/dev/")).toList());
        // the container's own standard nodes (null, zero, ...) are the host's too; compare the host's set
        java.util.TreeSet<String> missing = new java.util.TreeSet<>(host);
        missing.removeAll(inside);
        assertEquals(java.util.Set.of(), missing, "every host node, with its numbers, mode and owner, is in the container");
        assertTrue(r.out().contains("\npts/ptmx\n"), "/dev/ptmx stays the container's own: " + r.out());
        assertTrue(r.out().contains("DISK-OPENED"), r.out() + r.err());

        HutchProcess.Result plain = sh(List.of(), "test -e " + disk + " && echo PRESENT; ls /dev | wc -l");
        assertFalse(plain.out().contains("PRESENT"), "a default container has only its own nodes: " + plain.out());
    }

    @Test
    void procAndSysStayReadOnlyAndNoCgroupHierarchyCanBeMounted() throws Exception {
        String corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
        HutchProcess.Result r = sh(List.of(), String.join("; ",
                "echo h > /proc/sysrq-trigger && echo SYSRQ-WRITTEN",
                "echo '|/tmp/x' > /proc/sys/kernel/core_pattern && echo CORE-WRITTEN",
                "echo 1 > /proc/sys/vm/drop_caches && echo PROCSYS-WRITTEN",
                "echo /tmp/x > /sys/kernel/uevent_helper && echo SYS-WRITTEN",
                "mkdir -p /tmp/cg && mount -t cgroup -o memory cgroup /tmp/cg && echo CGROUP-MOUNTED",
                "wc -c < /proc/interrupts",
                "wc -c < /proc/timer_list"));
        for (String bad : List.of("SYSRQ-WRITTEN", "CORE-WRITTEN", "PROCSYS-WRITTEN", "SYS-WRITTEN", "CGROUP-MOUNTED"))
            assertFalse(r.out().contains(bad), bad + ": " + r.out());
        // masked: /dev/null over the file, so it reads empty inside (the host's has content)
        if (Files.exists(Path.of("/proc/timer_list")) && Files.exists(Path.of("/proc/interrupts")))
            assertTrue(r.out().endsWith("0\n0\n"), "/proc/interrupts and /proc/timer_list are masked (empty): " + r.out());
        assertEquals(corePattern, Files.readString(Path.of("/proc/sys/kernel/core_pattern")), "the host's core_pattern is unchanged");
    }

    @Test
    void aLeakedFdCannotBeTheWorkingDirectory() {
        // CVE-2024-21626: runc leaked a host cgroup fd, and -w /proc/self/fd/N put the process in the host's tree.
        for (int fd = 3; fd <= 9; fd++) {
            HutchProcess.Result r = hutch("run", "--rm", "--network", "none", "-w", "/proc/self/fd/" + fd, "busybox",
                    "sh", "-c", "echo RAN-IN $(pwd); ls ..");
            assertFalse(r.out().contains("RAN-IN"), "fd " + fd + ": " + r.out());
            assertNotEquals(0, r.code());
        }
    }

    @Test
    void theHelperCannotBeReachedThroughProcExe() throws Exception {
        HutchProcess.Result run = hutch("run", "-d", "--network", "none", "--name", "exe-" + roots.tag(), "busybox", "sleep", "60");
        assertEquals(0, run.code(), run.err());
        String id = run.out().trim();
        try {
            HutchProcess.Result pid = hutch("inspect", "--format", "{{.State.Pid}}", id);
            Path exe = Path.of("/proc", pid.out().trim(), "exe");
            // from outside: init (the helper's code) runs from a sealed memfd copy, not the helper's file
            assertTrue(Files.readSymbolicLink(exe).toString().startsWith("/memfd:"), Files.readSymbolicLink(exe).toString());
            // CVE-2019-5736: from inside, init's exe can be neither opened for writing nor read
            HutchProcess.Result in = hutch("exec", id, "sh", "-c",
                    "echo x >> /proc/1/exe && echo EXE-WRITTEN; cat /proc/1/exe > /dev/null && echo EXE-READ; "
                            + "grep Seccomp: /proc/self/status");
            assertFalse(in.out().contains("EXE-WRITTEN"), in.out());
            assertFalse(in.out().contains("EXE-READ"), in.out());
            assertTrue(in.out().contains("Seccomp:\t2"), "exec runs under the container's filter too: " + in.out());
        } finally {
            hutch("rm", "-f", id);
        }
    }

    @Test
    void capabilitiesFollowCapAddAndCapDrop() {
        HutchProcess.Result none = sh(List.of("--cap-drop", "ALL"), "grep CapEff /proc/self/status; chown 1 /tmp && echo CHOWNED");
        assertTrue(none.out().contains("CapEff:\t0000000000000000"), none.out());
        assertFalse(none.out().contains("CHOWNED"), none.out());
        HutchProcess.Result admin = sh(List.of("--cap-add", "NET_ADMIN", "--cap-drop", "NET_RAW"),
                "grep CapEff /proc/self/status; ip addr add 10.9.9.9/32 dev lo && echo ADDR-ADDED");
        long eff = Long.parseLong(admin.out().replaceAll("(?s).*CapEff:\\t([0-9a-f]+).*", "$1"), 16);
        assertTrue((eff & (1L << 12)) != 0, "CAP_NET_ADMIN");
        assertEquals(0, eff & (1L << 13), "CAP_NET_RAW dropped");
        assertTrue(admin.out().contains("ADDR-ADDED"), "NET_ADMIN works in the container's own netns: " + admin.out() + admin.err());
        HutchProcess.Result plain = sh(List.of(), "ip addr add 10.9.9.9/32 dev lo && echo ADDR-ADDED; true");
        assertFalse(plain.out().contains("ADDR-ADDED"), "not without it: " + plain.out());
    }

    @Test
    void badSecurityInputIsOneLineExit125AndLeavesNothing() throws Exception {
        Path bad = roots.dir().resolve("broken.json");
        Files.writeString(bad, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [");
        String[][] cases = {
                {"--cap-add", "SYS_FOO", "\"SYS_FOO\" is not a capability"},
                {"--cap-drop", "", "is not a capability"},
                {"--security-opt", "seccomp=" + bad, "\"" + bad + "\" is not valid JSON"},
                {"--security-opt", "seccomp=/nonexistent.json", "cannot be read"},
                {"--security-opt", "apparmor=docker-default", "is not supported"},
                {"--security-opt", "bogus", "is not a security option"},
                {"--device", "/dev/nonexistent", "does not exist on this host"},
                {"--device", "/etc/passwd", "is not a device node"},
                {"--device", "/dev/null:/dev/x:rwz", "has permissions \"rwz\""},
                {"--device-cgroup-rule", "c 1:3 rwx", "--device-cgroup-rule: \"c 1:3 rwx\" is not TYPE MAJOR:MINOR ACCESS"},
                {"--device-cgroup-rule", "x *:* rwm", "is not TYPE MAJOR:MINOR ACCESS"},
                {"--device-cgroup-rule", "c 1 rwm", "is not TYPE MAJOR:MINOR ACCESS"},
        };
        for (String[] c : cases) {
            HutchProcess.Result r = hutch("run", "--rm", "--network", "none", c[0], c[1], "busybox", "true");
            assertEquals(125, r.code(), String.join(" ", c));
            assertTrue(r.err().contains(c[2]), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }

    @Test
    void aDeviceGivenWithDeviceIsUsable() throws Exception {
        HutchProcess.Result r = sh(List.of("--device", "/dev/null:/dev/hutch-null"),
                "ls -l /dev/hutch-null; echo x > /dev/hutch-null && echo WROTE");
        assertTrue(r.out().contains("WROTE"), r.out() + r.err());
        // a node the default rules do not allow (a block device the host's root can open: a loop
        // device here, the disk on the v2 guest, which has no loop devices), given read-only:
        // opened for reading, not for writing. Nothing is read or written.
        String disk = hostBlockDevice();
        disk = disk.substring(0, disk.indexOf('='));
        HutchProcess.Result ro = sh(List.of("--device", disk + ":/dev/lp:r"),
                "exec 3</dev/lp && echo OPENED-R; exec 4>/dev/lp && echo OPENED-W; true");
        assertTrue(ro.out().contains("OPENED-R"), ro.out() + ro.err());
        assertFalse(ro.out().contains("OPENED-W"), "r only: writing is refused by the device rules: " + ro.out());
    }
}
