package dev.hutch.security;

import dev.hutch.HutchException;
import dev.hutch.cgroup.DeviceRule;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.SecurityOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capability arithmetic, profile and device parsing, and what a plan holds for each kind of container. */
class SecurityInputTest {
    static final SecurityPlanner.HostDevices FAKE = path -> switch (path) {
        case "/dev/fuse" -> new long[] {'c', 10, 229, 0666};
        case "/dev/sdb" -> new long[] {'b', 8, 16, 0660};
        default -> throw new InvalidSpecException("--device", path, "does not exist on this host");
    };

    static SecurityPlan plan(SecurityOptions s) { return SecurityPlanner.plan(s, FAKE, SyscallArch.x86_64(), "6.1.0"); }

    @Test
    void capabilitiesFollowDockersRules() {
        assertEquals(14, Capabilities.resolve(SecurityOptions.DEFAULT).size());
        SecurityOptions.Builder b = SecurityOptions.builder().capAdd("net_admin").capDrop("CAP_NET_RAW").capDrop("mknod");
        List<String> caps = Capabilities.resolve(b.build());
        assertTrue(caps.contains("CAP_NET_ADMIN"));
        assertFalse(caps.contains("CAP_NET_RAW"));
        assertFalse(caps.contains("CAP_MKNOD"));
        assertEquals(List.of("CAP_CHOWN"), Capabilities.resolve(SecurityOptions.builder().capDrop("ALL").capAdd("CHOWN").build()));
        assertEquals(Capabilities.ALL.size() - 1,
                Capabilities.resolve(SecurityOptions.builder().capAdd("all").capDrop("SYS_ADMIN").build()).size());
        assertEquals(Capabilities.ALL, Capabilities.resolve(SecurityOptions.builder().privileged(true).build()));
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> Capabilities.resolve(SecurityOptions.builder().capAdd("SYS_FOO").build()));
        assertEquals("--cap-add: \"SYS_FOO\" is not a capability (see capabilities(7): e.g. NET_ADMIN, SYS_PTRACE, or ALL)", e.getMessage());
        assertEquals(125, e.exitCode());
    }

    @Test
    void badProfilesAreOneLineNamingTheFile() {
        String[][] cases = {
                {"{", "is not valid JSON"},
                {"{\"syscalls\": []}", "has no \"defaultAction\""},
                {"{\"defaultAction\": \"SCMP_ACT_NOPE\"}", "has action \"SCMP_ACT_NOPE\""},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 7, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "args.index 7"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"EQ\"}]}]}", "args.op \"EQ\""},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/x.sock\"}", "listenerPath"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_ERRNO\"}]}", "without \"names\""},
        };
        for (String[] c : cases) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SeccompProfile.parse(c[0], "my.json"), c[0]);
            assertTrue(e.getMessage().startsWith("--security-opt seccomp: \"my.json\" "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void devicesParseLikeDocker() {
        assertEquals(new SecurityOptions.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"), SecurityOptions.DeviceMapping.parse("/dev/fuse"));
        assertEquals(new SecurityOptions.DeviceMapping("/dev/sdb", "/dev/xvdb", "rwm"), SecurityOptions.DeviceMapping.parse("/dev/sdb:/dev/xvdb"));
        assertEquals(new SecurityOptions.DeviceMapping("/dev/sdb", "/dev/sdb", "r"), SecurityOptions.DeviceMapping.parse("/dev/sdb:r"));
        assertEquals(new SecurityOptions.DeviceMapping("/dev/sdb", "/dev/xvdb", "rw"), SecurityOptions.DeviceMapping.parse("/dev/sdb:/dev/xvdb:rw"));
        for (String bad : List.of("", "dev/sdb", "/dev/sdb:/x:rwx", "/dev/sdb:xvdb", "/a:/b:r:w"))
            assertThrows(InvalidSpecException.class, () -> SecurityOptions.DeviceMapping.parse(bad), bad);
    }

    @Test
    void aDefaultPlanIsDockersDefault() {
        SecurityPlan p = plan(SecurityOptions.DEFAULT);
        assertEquals(Capabilities.DEFAULT.size(), p.capabilities().size());
        assertNotNull(p.seccompFilter());
        assertTrue(p.noNewPrivileges());
        assertTrue(p.maskedPaths().contains("/proc/kcore"));
        assertTrue(p.readonlyPaths().contains("/proc/sysrq-trigger"));
        assertEquals(DeviceRule.DEFAULTS, p.deviceRules());
        assertNotNull(p.deviceProgram());
        assertFalse(p.sysfsWritable());
    }

    @Test
    void privilegedDropsEveryWall() {
        SecurityPlan p = plan(SecurityOptions.builder().privileged(true).build());
        assertEquals(Capabilities.ALL, p.capabilities());
        assertNull(p.seccompFilter());
        assertTrue(p.maskedPaths().isEmpty());
        assertTrue(p.readonlyPaths().isEmpty());
        assertEquals(List.of(DeviceRule.ALL), p.deviceRules());
        assertNull(p.deviceProgram(), "every device allowed: no program to attach");
        assertTrue(p.sysfsWritable());
    }

    @Test
    void unconfinedAndDevicesAndNoNewPrivileges() {
        SecurityPlan p = plan(SecurityOptions.builder().seccompProfile("unconfined").noNewPrivileges(false)
                .device(SecurityOptions.DeviceMapping.parse("/dev/sdb:/dev/xvdb:r")).build());
        assertNull(p.seccompFilter());
        assertFalse(p.noNewPrivileges());
        assertEquals(new DeviceRule('b', 8, 16, "r"), p.deviceRules().get(p.deviceRules().size() - 1));
        assertEquals(List.of("/dev/xvdb b 8 16 660"), p.deviceNodes());
        assertThrows(InvalidSpecException.class,
                () -> plan(SecurityOptions.builder().device(SecurityOptions.DeviceMapping.parse("/dev/nope")).build()));
        HutchException noArch = assertThrows(HutchException.class,
                () -> SecurityPlanner.plan(SecurityOptions.DEFAULT, FAKE, null, "6.1"));
        assertTrue(noArch.getMessage().contains("seccomp=unconfined"));
    }

    @Test
    void compiledFiltersAreCachedAndOnlyAnExactInputHits(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // not the common default, which is pre-compiled (DefaultSeccompFilter) and never cached
        SecurityOptions NET_ADMIN = SecurityOptions.builder().capAdd("NET_ADMIN").build();
        SecurityPlan first = SecurityPlanner.plan(NET_ADMIN, FAKE, SyscallArch.x86_64(), "6.1.0", dir);
        java.nio.file.Path entry;
        try (var files = java.nio.file.Files.list(dir)) {
            entry = files.filter(p -> p.toString().endsWith(".bpf")).findFirst().orElseThrow();
        }
        SecurityPlan again = SecurityPlanner.plan(NET_ADMIN, FAKE, SyscallArch.x86_64(), "6.1.0", dir);
        assertTrue(java.util.Arrays.equals(first.seccompFilter(), again.seccompFilter()));
        // other capabilities or another kernel: another entry, another filter
        SecurityPlan admin = SecurityPlanner.plan(SecurityOptions.builder().capAdd("SYS_ADMIN").build(), FAKE,
                SyscallArch.x86_64(), "6.1.0", dir);
        assertFalse(java.util.Arrays.equals(first.seccompFilter(), admin.seccompFilter()));
        // a torn or tampered entry is not used: compiled again, the same as before
        String text = java.nio.file.Files.readString(entry);
        java.nio.file.Files.writeString(entry, text.substring(0, text.length() - 20));
        assertTrue(java.util.Arrays.equals(first.seccompFilter(),
                SecurityPlanner.plan(NET_ADMIN, FAKE, SyscallArch.x86_64(), "6.1.0", dir).seccompFilter()));
        java.nio.file.Files.writeString(entry, text.replace("hutch-seccomp 1 x86_64 6.1.0", "hutch-seccomp 1 x86_64 6.1.1"));
        assertTrue(java.util.Arrays.equals(first.seccompFilter(),
                SecurityPlanner.plan(NET_ADMIN, FAKE, SyscallArch.x86_64(), "6.1.0", dir).seccompFilter()));
    }

    @Test
    void deviceCgroupRulesInDockersSyntax() {
        SecurityOptions.DeviceCgroupRule r = SecurityOptions.DeviceCgroupRule.parse("c 1:3 rwm");
        assertEquals(new SecurityOptions.DeviceCgroupRule('c', 1, 3, "rwm"), r);
        assertEquals("b 8:* r", SecurityOptions.DeviceCgroupRule.parse("b 8:* r").toString());
        assertEquals(new SecurityOptions.DeviceCgroupRule('a', -1, -1, "m"), SecurityOptions.DeviceCgroupRule.parse("a *:* m"));
        for (String bad : List.of("c 1:3", "c 1:3 rwx", "d 1:3 r", "c 1 r", "c a:3 r", "c 1:3:4 r", "", "c -1:3 r", "cc 1:3 r")) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SecurityOptions.DeviceCgroupRule.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--device-cgroup-rule: \"" + bad + "\" is not TYPE MAJOR:MINOR ACCESS"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        SecurityOptions s = SecurityOptions.builder().deviceCgroupRule(SecurityOptions.DeviceCgroupRule.parse("b 8:* r")).build();
        assertEquals(s, SecurityOptions.fromJson(dev.hutch.json.Json.parse(dev.hutch.json.Json.write(s.toJson()))), "config.json round trip");
        SecurityPlan p = plan(s);
        assertTrue(p.deviceRules().contains(new DeviceRule('b', 8, -1, "r")), p.deviceRules().toString());
        assertTrue(p.deviceRules().containsAll(DeviceRule.DEFAULTS), "added to docker's list, not instead of it");
        assertEquals(List.of(DeviceRule.ALL), plan(s.toBuilder().privileged(true).build()).deviceRules(),
                "--privileged allows everything; the rule changes nothing (docker ignores it there)");
    }

    @Test
    void aNarrowTypeARuleIsNotV1sAllowEverything() {
        assertEquals(List.of("a"), DeviceRule.ALL.toV1Lines());
        assertEquals(List.of("c 1:3 r", "b 1:3 r"), new DeviceRule('a', 1, 3, "r").toV1Lines());
        assertEquals(List.of("c *:* m", "b *:* m"), new DeviceRule('a', -1, -1, "m").toV1Lines());
        assertEquals(List.of("c 1:3 rwm"), new DeviceRule('c', 1, 3, "rwm").toV1Lines());
    }

    @Test
    void privilegedGetsTheHostsNodesAndOthersGetThermalThrottleMasked() {
        SecurityPlanner.HostDevices host = new SecurityPlanner.HostDevices() {
            @Override public long[] stat(String path) { return FAKE.stat(path); }
            @Override public List<String> allNodes() { return List.of("/dev/sda b 8 0 660 0 6", "/dev/net/tun c 10 200 666 0 0"); }
            @Override public List<String> thermalThrottleDirs() { return List.of("/sys/devices/system/cpu/cpu0/thermal_throttle"); }
        };
        SecurityPlan priv = SecurityPlanner.plan(SecurityOptions.builder().privileged(true).build(), host, SyscallArch.x86_64(), "6.1.0");
        assertEquals(List.of("/dev/sda b 8 0 660 0 6", "/dev/net/tun c 10 200 666 0 0"), priv.deviceNodes());
        assertEquals(List.of(), priv.maskedPaths());
        SecurityPlan dflt = SecurityPlanner.plan(SecurityOptions.DEFAULT, host, SyscallArch.x86_64(), "6.1.0");
        assertEquals(List.of(), dflt.deviceNodes(), "only --privileged copies the host's /dev");
        assertTrue(dflt.maskedPaths().contains("/sys/devices/system/cpu/cpu0/thermal_throttle"), dflt.maskedPaths().toString());
        assertTrue(dflt.maskedPaths().containsAll(dev.hutch.runtime.DockerDefaults.MASKED_PATHS));
    }

    @Test
    void thermalThrottleDirsAreTheOnesThePossibleCpusHave(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cpu) throws Exception {
        java.nio.file.Files.writeString(cpu.resolve("possible"), "0-2,5\n");
        java.nio.file.Files.createDirectories(cpu.resolve("cpu0/thermal_throttle"));
        java.nio.file.Files.createDirectories(cpu.resolve("cpu5/thermal_throttle"));
        java.nio.file.Files.createDirectories(cpu.resolve("cpu1"));
        java.nio.file.Files.createDirectories(cpu.resolve("cpu7/thermal_throttle")); // not a possible CPU
        assertEquals(List.of("/sys/devices/system/cpu/cpu0/thermal_throttle", "/sys/devices/system/cpu/cpu5/thermal_throttle"),
                HostDevNodes.thermalThrottleDirs(cpu));
        assertEquals(List.of(), HostDevNodes.thermalThrottleDirs(cpu.resolve("missing")));
    }
}
